// lar bench: the speed phase with the full statistics (docs/robustness.md).
#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "harness/calibration.h"
#include "harness/lock.h"
#include "harness/phases.h"
#include "harness/record.h"
#include "harness/sysinfo.h"
#include "harness/timer.h"
#include "harness/version.h"

namespace lar {

CLI::App* AddBench(CLI::App& app, BenchOptions& o) {
  CLI::App* cmd =
      app.add_subcommand("bench",
                         "Time a target's kernel against its scalar reference, interleaved "
                         "(exit 0 ok, 2 timed outputs wrong, 3 budget, 4 crash)");
  cmd->add_option("id", o.id, "Target id (see 'lar list')")->required();
  CLI::Option* isa =
      cmd->add_option("--isa", o.isa, "Force this ISA (default: the best this CPU runs)");
  cmd->add_option("--isas", o.isas, "Bench each of these ISAs (comma-separated), one block per ISA")
      ->delimiter(',')
      ->excludes(isa);
  cmd->add_flag("--quick", o.quick, "Small workload and a 2 s sampling cap (smoke tests)");
  cmd->add_option("--json", o.json_path, "Also write the run as a JSON document to FILE");
  cmd->add_option("--budget", o.budget_seconds,
                  "Wall-clock limit in seconds, set-up included (exit 3 when exceeded)")
      ->check(kPositiveNumber);
  cmd->add_option("--max-seconds", o.max_seconds,
                  "Stop sampling after this many seconds even if the CI is wider "
                  "than 1% (default 30, 2 with --quick)")
      ->check(kPositiveNumber);
  cmd->add_option("--seed", o.seed, "Seed of the workload inputs");
  cmd->add_option("--results", o.results_path,
                  "Results file whose .lar/ holds this machine's calibrated noise floor");
  cmd->add_option("--estimator", o.estimator,
                  "Speed-up estimator (default min-ratio; see docs/robustness.md)")
      ->check(CLI::IsMember(EstimatorNames()));
  return cmd;
}

namespace {

// One bench of `target` at `isa` (nullopt: the best this CPU runs); prints
// its block and returns its record and exit code.
RunRecord BenchAt(const Target& target, const std::optional<Isa>& isa, const BenchOptions& o,
                  const MachineInfo& machine, const MeasureOptions& options, int* exit_code) {
  const uint64_t start = NowNs();
  RunRecord record = NewRecord(target, machine, "bench");
  record.isa_forced = isa.has_value();
  if (const auto cal = LoadCalibration(o.results_path, record.fingerprint, target.id,
                                       isa ? isa->name : machine.best_isa)) {
    record.noise_floor_pct = cal->noise_floor_pct();
    record.noise_floor_source = cal->Describe();
  }
  record.measure_seed = o.seed;
  BenchPhase phase;
  {
    MachineLock lock("lar bench " + target.id);
    const double left = o.budget_seconds - static_cast<double>(NowNs() - start) * 1e-9;
    phase = RunBenchPhase(target, isa, o.quick, options, std::max(left, 1.0));
  }
  record.isa = phase.isa.empty() ? (isa ? isa->name : machine.best_isa) : phase.isa;
  record.measure = phase.measure;
  record.peak_mem_mb = phase.peak_mem_mb;
  ApplyPhaseStatus(phase.status, phase.failure, &record);
  *exit_code = phase.status == PhaseStatus::kOk        ? kExitOk
               : phase.status == PhaseStatus::kFailed  ? kExitCorrectness
               : phase.status == PhaseStatus::kCrashed ? kExitCrash
                                                       : kExitBudget;
  record.total_seconds = static_cast<double>(NowNs() - start) * 1e-9;
  std::fputs(FormatBlock(record).c_str(), stdout);
  std::fflush(stdout);
  return record;
}

}  // namespace

int RunBench(const BenchOptions& o) {
  RefuseUnderEmulation("bench");
  const Target& target = ResolveTarget(o.id);
  std::vector<std::optional<Isa>> isas;
  if (o.isas.empty()) isas.push_back(ResolveIsa(o.isa));
  for (const std::string& name : o.isas) {
    if (name.empty()) throw UsageError("--isas: an empty name in the list; e.g. --isas AVX2,SSE4");
    isas.push_back(ResolveIsa(name));
  }
  if (!o.json_path.empty()) CheckWritable(o.json_path, "--json");

  MeasureOptions options = DefaultMeasureOptions(o.quick);
  if (o.max_seconds > 0) options.max_seconds = o.max_seconds;
  if (!o.estimator.empty()) options.estimator = *ParseEstimator(o.estimator);
  options.seed = o.seed;
  options.progress = StderrIsTerminal();
  const MachineInfo machine = DescribeMachine();
  // --isas: one block per ISA; the exit code is the first failure's.
  std::vector<RunRecord> records;
  int exit_code = kExitOk;
  for (const std::optional<Isa>& isa : isas) {
    int code = kExitOk;
    records.push_back(BenchAt(target, isa, o, machine, options, &code));
    if (exit_code == kExitOk) exit_code = code;
  }
  if (!o.json_path.empty()) {
    WriteFileAtomically(o.json_path, MakeDocument(machine, records).dump(2) + "\n");
  }
  return exit_code;
}

}  // namespace lar
