// lar trial: rebuild, verify on every ISA, bench, apply the keep gate against
// the best kept trial of this target on this machine, record the run and
// append one row to results.tsv.
#include <sys/stat.h>
#include <unistd.h>

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "harness/calibration.h"
#include "harness/gate.h"
#include "harness/git.h"
#include "harness/lock.h"
#include "harness/phases.h"
#include "harness/results.h"
#include "harness/subprocess.h"
#include "harness/sysinfo.h"
#include "harness/timer.h"
#include "harness/variant.h"
#include "harness/version.h"
#include "lar_config.h"

namespace lar {
namespace {

namespace fs = std::filesystem;

constexpr const char* kTrialHelp =
    "Verify (every ISA, fixed + fresh seed), bench, and gate a target's "
    "kernel against the best kept trial of this target on this machine; "
    "append one row to results.tsv and the full record to .lar/runs/.\n"
    "Exit codes: 0 keep or baseline, 1 discard, 2 correctness, 3 budget "
    "(timeout), 4 crash or build failure, 5 a file other than "
    "targets/<id>/kernels.cc changed since the best, 64 usage error.";

struct Build {
  bool failed = false;
  std::string output;
};

// When this lar is build/lar of its own source tree, runs ninja first so
// the trial measures the kernels.cc on disk, and re-executes itself if the
// binary changed. Any other lar (installed, the test zoo) runs as it is.
Build RebuildIfStale(const TrialOptions& o) {
  Build b;
  if (o.no_rebuild || std::getenv("LAR_TRIAL_REBUILT") != nullptr) return b;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  const fs::path build_dir = LAR_BUILD_DIR;
  if (ec || exe != build_dir / "lar" || !fs::exists(build_dir / "build.ninja")) return b;
  struct stat before;
  if (stat(exe.c_str(), &before) != 0) return b;
  const CommandResult r = RunCommand({"ninja", "-C", build_dir.string(), "lar"}, true);
  if (r.exit_code != 0) {
    b.failed = true;
    b.output = r.output;
    return b;
  }
  struct stat after;
  if (stat(exe.c_str(), &after) == 0 &&
      (after.st_mtim.tv_sec != before.st_mtim.tv_sec ||
       after.st_mtim.tv_nsec != before.st_mtim.tv_nsec || after.st_ino != before.st_ino)) {
    setenv("LAR_TRIAL_REBUILT", "1", 1);
    std::vector<char*> args;
    for (const std::string& a : o.argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(exe.c_str(), args.data());
    std::fprintf(stderr, "lar: rebuilt, but cannot re-run %s; run the command again\n",
                 exe.c_str());
    std::exit(kExitCrash);
  }
  return b;
}

// The first line of compiler output that says "error", for the verdict.
std::string FirstError(const std::string& output) {
  size_t pos = output.find("error");
  if (pos == std::string::npos) return "see the compiler output above";
  const size_t start = output.rfind('\n', pos);
  const size_t end = output.find('\n', pos);
  return output.substr(start == std::string::npos ? 0 : start + 1,
                       end == std::string::npos ? std::string::npos
                                                : end - (start == std::string::npos ? 0 : start + 1));
}

uint64_t FreshSeed() {
  std::random_device rd;
  return (static_cast<uint64_t>(rd()) << 32 ^ rd() ^ NowNs()) % 1000000000000ull;
}

struct Best {
  const ResultRow* row = nullptr;
  std::optional<RunRecord> record;
};

// The most recent kept trial (baseline or keep) of this target, machine and
// ISA whose full record is readable and of this harness version.
Best FindBest(const ResultsFile& results, const std::string& results_path,
              const std::string& target, const std::string& machine,
              const std::string& isa, std::vector<std::string>* warnings) {
  Best best;
  for (auto it = results.rows.rbegin(); it != results.rows.rend(); ++it) {
    if (it->target != target || it->machine != machine || it->isa != isa || !it->kept()) {
      continue;
    }
    std::string warning;
    std::optional<RunRecord> rec = ReadRunRecord(results_path, it->run_id, &warning);
    if (!rec) {
      warnings->push_back(it->file + ":" + std::to_string(it->line) + ": " + warning +
                          "; trying an earlier kept trial");
      continue;
    }
    if (rec->harness_version != kHarnessVersion || !rec->measure) continue;
    best.row = &*it;
    best.record = std::move(rec);
    return best;
  }
  return best;
}

}  // namespace

CLI::App* AddTrial(CLI::App& app, TrialOptions& o) {
  CLI::App* cmd = app.add_subcommand("trial", kTrialHelp);
  cmd->add_option("id", o.id, "Target id (see 'lar list')")->required();
  cmd->add_option("-m,--message", o.message, "What changed in this trial (the TSV description)");
  cmd->add_option("--results", o.results_path,
                  "Results file (default results.tsv here); records go to .lar/ beside it");
  cmd->add_option("--isa", o.isa, "Time this ISA instead of the best one (gated separately)");
  cmd->add_flag("--quick", o.quick, "Small workload and short sampling (smoke tests only)");
  cmd->add_flag("--baseline", o.baseline,
                "Record this trial as a new baseline (after a harness or workload change)");
  cmd->add_flag("--no-rebuild", o.no_rebuild, "Do not run ninja before the trial");
  cmd->add_option("--budget", o.budget_seconds,
                  "Wall-clock limit in seconds, waiting for the bench lock excluded "
                  "(exit 3, recorded as timeout)")
      ->check(kPositiveNumber);
  cmd->add_option("--max-seconds", o.max_seconds,
                  "Sampling cap of the bench phase (default 30 s, 60 s for a baseline)")
      ->check(kPositiveNumber);
  cmd->add_option("--seed", o.seed, "Seed of the workload inputs");
  return cmd;
}

int RunTrial(const TrialOptions& o) {
  uint64_t start = NowNs();
  const Target& target = ResolveTarget(o.id);
  const std::optional<Isa> isa = ResolveIsa(o.isa);
  CheckWritable(o.results_path, "--results");
  const Build build = RebuildIfStale(o);

  const MachineInfo machine = DescribeMachine();
  RunRecord record = NewRecord(target, machine, "trial");
  record.isa = isa ? isa->name : machine.best_isa;
  record.isa_forced = isa.has_value();
  record.measure_seed = o.seed;

  std::vector<std::string> warnings;
  const ResultsFile results = ReadResults(o.results_path);
  warnings = results.warnings;
  const Best best = FindBest(results, o.results_path, target.id, record.fingerprint,
                             record.isa, &warnings);
  const std::optional<Calibration> calibration =
      LoadCalibration(o.results_path, record.fingerprint, target.id);
  if (calibration) record.noise_floor_pct = calibration->noise_floor_pct();

  // Edit scope: since the best's commit, only this target's kernels.cc.
  GateInput gate;
  gate.force_baseline = o.baseline;
  std::optional<GitState> git = ReadGitState(".");
  std::string scope_note;
  if (!git) {
    scope_note = "not in a git checkout: edit scope not checked";
  } else if (best.record) {
    const std::string best_commit = best.record->trial.value("commit", "");
    if (best_commit.empty()) {
      scope_note = "the best trial has no commit: edit scope not checked";
    } else if (const auto changed = ChangedSince(git->top_level, best_commit)) {
      const std::string allowed = "targets/" + target.id + "/kernels.cc";
      const fs::path top = fs::weakly_canonical(git->top_level);
      const fs::path results = fs::weakly_canonical(o.results_path);
      const fs::path state = fs::weakly_canonical(StateDir(o.results_path));
      std::vector<std::string> outside;
      for (const std::string& f : *changed) {
        const fs::path abs = top / f;
        if (f == allowed || abs == results ||
            abs.string().rfind(state.string() + "/", 0) == 0) {
          continue;
        }
        outside.push_back(f);
      }
      gate.outside_files = outside;
    } else {
      scope_note = "the best's commit " + best.row->commit +
                   " is not in this checkout: edit scope not checked";
    }
  }
  if (!scope_note.empty()) warnings.push_back(scope_note);
  for (const std::string& w : warnings) std::fprintf(stderr, "lar: warning: %s\n", w.c_str());

  const bool baseline = o.baseline || !best.record;
  const bool invalid = gate.outside_files && !gate.outside_files->empty() && !o.baseline;

  // The candidate and the kernel it is compared with are both timed as
  // variants built from source, in the same loop: the best's recorded
  // kernels.cc, or for a baseline a second instance of this kernel (an A/A
  // run whose spread is the noise floor of the comparison).
  const std::optional<std::string> source = ReadKernelSource(target.id);
  std::optional<KernelVariant> candidate, yardstick;
  if (!build.failed && !invalid) {
    std::string error;
    const std::string best_source =
        baseline ? source.value_or("")
                 : (best.record->trial.is_object() ? best.record->trial.value("kernel_source", "")
                                                   : "");
    if (!source) {
      error = "the source of targets/" + target.id + "/kernels.cc is not here";
    } else if (best_source.empty()) {
      error = "the best trial did not record its kernel source";
    } else {
      candidate = LoadKernelVariant(target, *source, StateDir(o.results_path), 0, &error);
      if (candidate) {
        yardstick = LoadKernelVariant(target, best_source, StateDir(o.results_path),
                                      best_source == *source ? 1 : 0, &error);
      }
    }
    if (!candidate || !yardstick) {
      candidate.reset();
      std::fprintf(stderr, "lar: note: %s; %s\n", error.c_str(),
                   baseline ? "calibrating with the reference instead"
                            : "comparing with the best's recorded run instead");
    }
  }
  auto left = [&] { return o.budget_seconds - static_cast<double>(NowNs() - start) * 1e-9; };

  if (build.failed) {
    std::fputs(build.output.c_str(), stderr);
    record.status = "crash";
    record.correctness = "not run";
    record.failure = "build failed: " + FirstError(build.output);
  } else if (!invalid) {
    // Verify: every supported ISA, the fixed battery and a fresh seed.
    const uint64_t fresh = FreshSeed();
    const VerifyPhase v = RunVerifyPhase(target, SupportedIsas(), {kFixedSeed, fresh},
                                         o.quick, std::max(left(), 1.0));
    record.verify = v.report;
    switch (v.status) {
      case PhaseStatus::kOk:
        break;
      case PhaseStatus::kFailed: {
        record.correctness = "fail";
        record.status = "fail";
        const VerifyFailure& f = v.report.failures.front();
        record.failure = "[" + f.isa + "] case '" + f.case_name + "': " + f.mismatch.field +
                         "[" + std::to_string(f.mismatch.index) + "] expected " +
                         f.mismatch.expected + ", got " + f.mismatch.got +
                         " (reproduce: lar verify " + target.id + " --isa " + f.isa +
                         " --seed " + std::to_string(f.seed) + ")";
        break;
      }
      case PhaseStatus::kCrashed:
        record.correctness = "crash";
        record.status = "crash";
        record.failure = v.failure;
        break;
      case PhaseStatus::kTimedOut:
        record.correctness = "timeout";
        record.status = "timeout";
        record.failure = v.failure + " (budget " + std::to_string(static_cast<int>(o.budget_seconds)) + " s)";
        break;
    }
    if (v.status == PhaseStatus::kOk) {
      MeasureOptions options = DefaultMeasureOptions(o.quick);
      if (baseline && !o.quick) {
        // A baseline is the yardstick of every later trial: measure it longer.
        options.min_rounds *= 2;
        options.max_seconds = 60.0;
      }
      if (o.max_seconds > 0) options.max_seconds = o.max_seconds;
      options.seed = o.seed;
      options.progress = StderrIsTerminal();
      MachineLock lock("lar trial " + target.id);
      start += static_cast<uint64_t>(lock.waited_seconds() * 1e9);
      const BenchPhase b =
          candidate ? RunBenchPhase(candidate->target, isa, o.quick, options,
                                    std::max(left(), 1.0), &yardstick->target)
                    : RunBenchPhase(target, isa, o.quick, options, std::max(left(), 1.0));
      record.measure = b.measure;
      record.peak_mem_mb = b.peak_mem_mb;
      if (!b.isa.empty()) record.isa = b.isa;
      switch (b.status) {
        case PhaseStatus::kOk:
          record.correctness = "pass";
          record.status = "ok";
          break;
        case PhaseStatus::kFailed:
          record.correctness = "fail";
          record.status = "fail";
          record.failure = b.failure;
          break;
        case PhaseStatus::kCrashed:
          record.correctness = "crash";
          record.status = "crash";
          record.failure = b.failure;
          break;
        case PhaseStatus::kTimedOut:
          record.correctness = "timeout";
          record.status = "timeout";
          record.failure = b.failure + " (budget " + std::to_string(static_cast<int>(o.budget_seconds)) + " s)";
          break;
      }
      // Every baseline also calibrates the noise floor: from its A/A
      // comparison with a second build of itself, else by timing the
      // reference against a copy of itself.
      if (baseline && b.status == PhaseStatus::kOk) {
        std::optional<AaResult> kernel_aa, reference_aa;
        if (b.measure && b.measure->vs_best) {
          const Comparison& aa = *b.measure->vs_best;
          kernel_aa = MakeAaResult(aa.speedup, aa.ci, b.measure->rounds);
        } else if (left() > 1.0) {
          MeasureOptions aa = options;
          aa.self_compare = true;
          const BenchPhase a = RunBenchPhase(target, isa, o.quick, aa, std::max(left(), 1.0));
          if (a.status == PhaseStatus::kOk && a.measure) {
            reference_aa = MakeAaResult(a.measure->speedup, a.measure->speedup_ci,
                                        a.measure->rounds);
          }
        }
        if (kernel_aa || reference_aa) {
          StoreCalibration(o.results_path, record.fingerprint, target.id, reference_aa,
                           kernel_aa);
          if (const auto c = LoadCalibration(o.results_path, record.fingerprint, target.id)) {
            record.noise_floor_pct = c->noise_floor_pct();
          }
        }
      }
    }
  }

  record.trial = nlohmann::json::object();
  // How the verdict names the best: its commit, else its run id.
  const std::string best_name =
      !best.row ? "" : (best.row->commit.empty() || best.row->commit == "-") ? best.row->run_id
                                                                              : best.row->commit;
  record.trial["best_commit"] = baseline ? "self (A/A)" : best_name;
  if (!baseline) gate.best_commit = best_name;
  gate.trial = &record;
  gate.best = best.record ? &*best.record : nullptr;
  gate.noise_floor_pct = record.noise_floor_pct;
  if (invalid) {
    record.status = "invalid";
    record.correctness = "not run";
  }
  const GateResult verdict = ApplyGate(gate);
  record.verdict = verdict.verdict;
  record.total_seconds = static_cast<double>(NowNs() - start) * 1e-9;
  record.trial["description"] = o.message;
  record.trial["commit"] = git ? git->commit : "";
  record.trial["dirty"] = git ? git->dirty : false;
  record.trial["best_run_id"] = best.row ? best.row->run_id : "";
  record.trial["kernel_source"] = source.value_or("");
  record.trial["kernel_hash"] = source ? KernelSourceHash(*source) : "";
  record.trial["compared_in_loop"] = candidate.has_value();
  record.trial["gate"] = ToJson(verdict);

  // The record first, then the row that points to it.
  WriteRunRecord(o.results_path, record, machine);
  AppendRow(o.results_path,
            RowFromRecord(record, verdict.keep, git ? git->short_commit : "",
                          git ? git->dirty : false, o.message));
  std::fputs(FormatBlock(record).c_str(), stdout);
  std::fflush(stdout);
  return verdict.exit_code;
}

}  // namespace lar
