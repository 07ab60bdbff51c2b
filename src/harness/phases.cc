// Verify and bench phases in child processes.
#include "harness/phases.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "harness/child.h"
#include "harness/prng.h"
#include "harness/record.h"
#include "harness/sysinfo.h"
#include "harness/timer.h"

namespace lar {

VerifyPhase RunVerifyPhase(const Target& target, const std::vector<Isa>& isas,
                           const std::vector<uint64_t>& seeds, bool quick,
                           double timeout_seconds) {
  VerifyPhase phase;
  const ChildOutcome outcome = RunInChild(
      [&](ChildChannel& channel) {
        return ToJson(Verify(target, isas, seeds, quick, &channel));
      },
      timeout_seconds);
  phase.seconds = outcome.seconds;
  switch (outcome.status) {
    case ChildOutcome::Status::kOk:
      phase.report = VerifyReportFromJson(outcome.result);
      phase.status = phase.report.passed() ? PhaseStatus::kOk : PhaseStatus::kFailed;
      break;
    case ChildOutcome::Status::kCrashed:
      phase.status = PhaseStatus::kCrashed;
      phase.failure = "crash: " + outcome.Describe();
      break;
    case ChildOutcome::Status::kTimedOut:
      phase.status = PhaseStatus::kTimedOut;
      phase.failure = outcome.Describe();
      break;
  }
  return phase;
}

MeasureOptions DefaultMeasureOptions(bool quick) {
  MeasureOptions o;
  if (quick) {
    o.slice_seconds = 0.02;
    o.min_rounds = 3;
    o.max_seconds = 2.0;
    o.bootstrap_replicates = 500;
    o.rounds_per_process = 1;
  }
  return o;
}

BenchPhase RunBenchPhase(const Target& target, const std::optional<Isa>& isa,
                         bool quick, MeasureOptions options,
                         double timeout_seconds, const Target* best) {
  BenchPhase phase;
  const uint64_t start = NowNs();
  auto elapsed = [&] { return static_cast<double>(NowNs() - start) * 1e-9; };
  const bool progress = options.progress && isatty(STDERR_FILENO);

  // Expensive, kernel-free set-up once here; the children inherit it.
  {
    std::vector<Combo> combos = target.workloads(quick, nullptr);
    for (size_t c = 0; c < combos.size(); ++c) {
      if (!combos[c].preload) continue;
      if (progress) {
        std::fprintf(stderr, "\rlar: preparing %s %s...\033[K", combos[c].shape.c_str(),
                     combos[c].distribution.c_str());
      }
      combos[c].preload(DeriveSeed(options.seed, c));
    }
  }

  // Each child process is one replication unit: its own code placement
  // (ASLR), heap, and rounds of memory layouts. Identical code measured in
  // separate processes differs by more than one process's samples show, so
  // the CI is computed across processes.
  std::vector<ComboMeasurement> merged;
  int processes = 0;
  int layouts = 0;
  std::string counters_note;
  for (;;) {
    MeasureOptions child = options;
    child.min_rounds = options.rounds_per_process;
    child.max_rounds = options.rounds_per_process;
    child.max_seconds = 1e9;
    child.progress = false;
    child.seed = options.seed;  // same workload; ASLR differs per process
    const double left = timeout_seconds - elapsed();
    const ChildOutcome outcome = RunInChild(
        [&](ChildChannel& channel) {
          std::optional<ScopedIsa> scoped;
          if (isa) scoped.emplace(*isa);
          const int64_t ran = target.kernel_target();
          nlohmann::json out = {{"isa", IsaName(ran)}};
          if (isa && ran != isa->bits) {
            out["dispatch_error"] = "forced " + isa->name + " but the kernel dispatched " +
                                    IsaName(ran);
            return out;
          }
          if (best != nullptr) {
            if (best->kernel_target() != ran) {
              out["dispatch_error"] = "the best kernel dispatched " +
                                      IsaName(best->kernel_target()) + ", the candidate " +
                                      IsaName(ran);
              return out;
            }
            child.with_best = true;
          }
          child.channel = &channel;
          const MeasureResult m =
              Measure(target.workloads(quick, best ? best->kernel_api : nullptr), child);
          out["measurement"] = ToJson(m);
          out["peak_mem_mb"] = PeakRssMb();
          return out;
        },
        std::max(left, 1.0));
    if (outcome.status == ChildOutcome::Status::kCrashed) {
      phase.status = PhaseStatus::kCrashed;
      phase.failure = "crash: " + outcome.Describe();
      break;
    }
    if (outcome.status == ChildOutcome::Status::kTimedOut) {
      phase.status = PhaseStatus::kTimedOut;
      phase.failure = outcome.Describe();
      break;
    }
    phase.isa = outcome.result.value("isa", "");
    if (outcome.result.contains("dispatch_error")) {
      phase.status = PhaseStatus::kFailed;
      phase.failure = outcome.result.at("dispatch_error").get<std::string>();
      break;
    }
    phase.peak_mem_mb = std::max(phase.peak_mem_mb, outcome.result.value("peak_mem_mb", 0.0));
    MeasureResult m = MeasureResultFromJson(outcome.result.at("measurement"));
    counters_note = m.counters_note;
    if (m.mismatch) {
      phase.status = PhaseStatus::kFailed;
      phase.failure = "timed output differs from the reference in " + m.mismatch_combo + ": " +
                      m.mismatch->field + "[" + std::to_string(m.mismatch->index) +
                      "] expected " + m.mismatch->expected + ", got " + m.mismatch->got + " (" +
                      m.mismatch->rule + ")";
      phase.measure = std::move(m);
      break;
    }
    // Merge: every pair of this process gets the process index as round.
    if (merged.empty()) {
      merged = m.combos;
      for (ComboMeasurement& c : merged) {
        std::fill(c.sample_round.begin(), c.sample_round.end(), 0);
      }
    } else {
      for (size_t c = 0; c < merged.size(); ++c) {
        ComboMeasurement& into = merged[c];
        const ComboMeasurement& from = m.combos[c];
        into.samples.base.insert(into.samples.base.end(), from.samples.base.begin(),
                                 from.samples.base.end());
        into.samples.cand.insert(into.samples.cand.end(), from.samples.cand.begin(),
                                 from.samples.cand.end());
        into.best_ns.insert(into.best_ns.end(), from.best_ns.begin(), from.best_ns.end());
        into.sample_round.insert(into.sample_round.end(), from.sample_round.size(), processes);
        into.ops_checked += from.ops_checked;
        if (into.cycles_per_op >= 0 && from.cycles_per_op >= 0) {
          into.cycles_per_op = (into.cycles_per_op * processes + from.cycles_per_op) / (processes + 1);
          into.instructions_per_op =
              (into.instructions_per_op * processes + from.instructions_per_op) / (processes + 1);
        }
      }
    }
    ++processes;
    layouts += m.layouts;
    if (processes < 2) continue;
    double estimate = 0.0;
    const double half = PrecisionHalfWidth(merged, processes, options, &estimate);
    if (progress) {
      std::fprintf(stderr, "\rlar: %d processes  speed-up %.3f  +/- %.2f%%  (%.0f s)\033[K",
                   processes, estimate, 100.0 * half, elapsed());
    }
    const bool enough = processes >= options.min_rounds;
    if (enough && half <= options.target_halfwidth) {
      phase.measure = Analyze(merged, processes, options);
      phase.measure->precision_reached = true;
      break;
    }
    if (enough && elapsed() >= options.max_seconds) {
      phase.measure = Analyze(merged, processes, options);
      break;
    }
  }
  if (progress) std::fprintf(stderr, "\r\033[K");
  if (phase.measure && phase.status == PhaseStatus::kOk) {
    phase.measure->processes = processes;
    phase.measure->layouts = layouts;
    phase.measure->counters_note = counters_note;
    phase.measure->seconds = elapsed();
  }
  phase.seconds = elapsed();
  return phase;
}

}  // namespace lar
