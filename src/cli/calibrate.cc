// lar calibrate: the A/A test. The reference is timed against a second,
// separately allocated copy of itself through the same loop; the result is
// this machine's noise floor, stored for the gate. --study N also runs N A/A
// and N A/B measurements in separate processes and prints the cross-process
// spread of every estimator (docs/robustness.md).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "base/strings.h"
#include "cli/common.h"
#include "harness/calibration.h"
#include "harness/gate.h"
#include "harness/lock.h"
#include "harness/phases.h"
#include "harness/results.h"
#include "harness/sysinfo.h"
#include "harness/variant.h"
#include "harness/version.h"

namespace lar {
namespace {

void PrintStudy(const std::string& label, const std::vector<MeasureResult>& runs) {
  std::printf("  %s, %zu runs:\n", label.c_str(), runs.size());
  std::printf("    %-22s %9s %9s %8s %13s %s\n", "estimator", "min", "max", "spread",
              "CI half-width", "CIs holding the median run");
  for (size_t e = 0; e < runs.front().estimators.size(); ++e) {
    std::vector<double> values;
    double half = 0.0;
    for (const MeasureResult& r : runs) {
      const EstimatorSummary& s = r.estimators[e];
      values.push_back(s.speedup);
      half += HalfWidth(s.speedup, s.ci);
    }
    const double median = Median(values);
    int covering = 0;
    for (const MeasureResult& r : runs) {
      const EstimatorSummary& s = r.estimators[e];
      if (s.ci.lo <= median && median <= s.ci.hi) ++covering;
    }
    const double lo = *std::min_element(values.begin(), values.end());
    const double hi = *std::max_element(values.begin(), values.end());
    const std::string spread = StrFormat("%.2f%%", 100.0 * (hi / lo - 1.0));
    const std::string width = StrFormat("%.2f%%", 100.0 * half / static_cast<double>(runs.size()));
    std::printf("    %-22s %9.4f %9.4f %8s %13s %d of %zu\n",
                EstimatorName(runs.front().estimators[e].estimator), lo, hi, spread.c_str(),
                width.c_str(), covering, runs.size());
  }
}

// The code-placement effect: this kernels.cc linked in kLayouts layouts
// (variant.h), each layout k > 0 timed against layout 0 in the same loop,
// as a trial times a candidate against the best; and, as the control, a
// copy of layout 0 against layout 0 (what a baseline's kernel A/A does).
// Prints one line; the spread is the largest over the smallest of 1 and the
// layouts' estimates.
void PrintLayoutSpread(const Target& target, bool quick, const MeasureOptions& options,
                       const std::string& state_dir) {
  const std::optional<std::string> source = ReadKernelSource(target.id);
  std::string error = "the source of targets/" + target.id + "/kernels.cc is not here";
  std::optional<KernelVariant> base;
  if (source) base = LoadKernelVariant(target, *source, state_dir, 0, &error, 0);
  if (!base) {
    std::printf("%-18s layouts: not measured (%s)\n", target.id.c_str(), error.c_str());
    return;
  }
  std::vector<std::string> parts;
  double lo = 1.0, hi = 1.0, widest = 0.0;
  std::string control;
  for (int k = 0; k < kLayouts; ++k) {
    const std::optional<KernelVariant> moved =
        LoadKernelVariant(target, *source, state_dir, k == 0 ? 1 : 0, &error, k);
    if (!moved) {
      std::printf("%-18s layouts: not measured (%s)\n", target.id.c_str(), error.c_str());
      return;
    }
    MeasureOptions o = options;
    o.self_compare = false;
    const BenchPhase p = RunBenchPhase(moved->target, std::nullopt, quick, o, 900.0, &base->target);
    if (p.status != PhaseStatus::kOk || !p.measure || !p.measure->vs_best) {
      std::printf("%-18s layouts: layout %d failed: %s\n", target.id.c_str(), k, p.failure.c_str());
      return;
    }
    const Comparison& c = *p.measure->vs_best;
    if (k == 0) {
      control = StrFormat("%+.2f%% [%+.2f, %+.2f]", 100.0 * (c.speedup - 1.0),
                          100.0 * (c.ci.lo - 1.0), 100.0 * (c.ci.hi - 1.0));
      continue;
    }
    lo = std::min(lo, c.speedup);
    hi = std::max(hi, c.speedup);
    widest = std::max(widest, HalfWidth(c.speedup, c.ci));
    parts.push_back(StrFormat("L%d %+.2f%% [%+.2f, %+.2f]", k, 100.0 * (c.speedup - 1.0),
                              100.0 * (c.ci.lo - 1.0), 100.0 * (c.ci.hi - 1.0)));
  }
  std::printf(
      "%-18s layout_spread_pct: %.2f  (the kernel vs itself %d bytes further per layout, same "
      "loop: %s; widest 90%% CI half-width %.2f%%; control, a copy of the same layout: %s)\n",
      target.id.c_str(), 100.0 * (hi / lo - 1.0), kLayoutPadBytes, Join(parts, ", ").c_str(),
      100.0 * widest, control.c_str());
}

}  // namespace

CLI::App* AddCalibrate(CLI::App& app, CalibrateOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "calibrate",
      "A/A test: time each target's reference against a separately allocated copy "
      "of itself; print and store this machine's noise floor for the keep gate");
  cmd->add_option("ids", o.ids, "Target ids (default: every landed target)");
  cmd->add_option("--results", o.results_path,
                  "Results file beside which .lar/calibration.json is kept");
  cmd->add_flag("--quick", o.quick, "Small workload (smoke tests; not a usable floor)");
  cmd->add_option("--max-seconds", o.max_seconds, "Sampling cap per measurement")
      ->check(kPositiveNumber);
  cmd->add_option("--study", o.study,
                  "Also run N A/A and N A/B measurements in separate processes and "
                  "print each estimator's cross-process spread")
      ->check(CLI::Range(2, 100));
  cmd->add_flag("--layouts", o.layouts,
                "Also time each target's kernel against itself linked in other code layouts "
                "and print the spread (the code-placement effect)");
  return cmd;
}

int RunCalibrate(const CalibrateOptions& o) {
  RefuseUnderEmulation("calibrate");
  const std::vector<const Target*> targets = ResolveTargets(o.ids, o.ids.empty());
  CheckWritable(o.results_path, "--results");
  const MachineInfo machine = DescribeMachine();
  const std::string fingerprint = Fingerprint(machine);
  MachineLock lock("lar calibrate");
  int exit_code = kExitOk;
  for (const Target* target : targets) {
    MeasureOptions options = DefaultMeasureOptions(o.quick);
    if (o.max_seconds > 0) options.max_seconds = o.max_seconds;
    options.progress = StderrIsTerminal();
    options.self_compare = true;
    const BenchPhase aa = RunBenchPhase(*target, std::nullopt, o.quick, options, 900.0);
    if (aa.status != PhaseStatus::kOk || !aa.measure) {
      std::printf("%-18s FAILED  %s\n", target->id.c_str(), aa.failure.c_str());
      exit_code = aa.status == PhaseStatus::kTimedOut ? kExitBudget : kExitCrash;
      continue;
    }
    const AaResult a = MakeAaResult(aa.measure->speedup, aa.measure->speedup_ci, aa.measure->rounds,
                                    aa.isa, "lar calibrate");
    double floor = a.floor_pct;
    if (!o.quick) {
      StoreCalibration(o.results_path, fingerprint, target->id, a, std::nullopt);
      if (const auto c =
              LoadCalibration(o.results_path, fingerprint, target->id, machine.best_isa)) {
        floor = c->noise_floor_pct();
      }
    }
    std::printf(
        "%-18s noise_floor_pct: %.2f  keep_minimum_pct: %.2f  (reference A/A %.4f [%.4f, "
        "%.4f] over %d processes, ISA %s; the floor is the larger of this and the kernel A/A "
        "of the last baseline, the keep minimum that floor but at least %.2f%%)%s\n",
        target->id.c_str(), floor, 100.0 * KeepMinimum(floor), a.speedup, a.ci.lo, a.ci.hi,
        a.rounds, aa.isa.c_str(), 100.0 * kMinGainFloor, o.quick ? "  [--quick: not stored]" : "");
    if (o.layouts) PrintLayoutSpread(*target, o.quick, options, StateDir(o.results_path));
    if (o.study > 0) {
      std::vector<MeasureResult> aas, abs;
      for (int i = 0; i < o.study; ++i) {
        MeasureOptions same = options;  // same seed: the same workload each time
        const BenchPhase p = RunBenchPhase(*target, std::nullopt, o.quick, same, 900.0);
        if (p.measure) aas.push_back(*p.measure);
        MeasureOptions b = same;
        b.self_compare = false;
        const BenchPhase q = RunBenchPhase(*target, std::nullopt, o.quick, b, 900.0);
        if (q.measure && !q.measure->mismatch) abs.push_back(*q.measure);
      }
      std::printf("%s study (%d separate processes each, same workload):\n", target->id.c_str(),
                  o.study);
      if (!aas.empty()) PrintStudy("A/A (reference vs a copy of itself)", aas);
      if (!abs.empty()) PrintStudy("A/B (kernel vs reference)", abs);
    }
    std::fflush(stdout);
  }
  return exit_code;
}

}  // namespace lar
