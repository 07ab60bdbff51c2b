// Verify and bench phases in child processes.
#include "harness/phases.h"

#include "harness/child.h"
#include "harness/record.h"
#include "harness/sysinfo.h"

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
  }
  return o;
}

BenchPhase RunBenchPhase(const Target& target, const std::optional<Isa>& isa,
                         bool quick, MeasureOptions options,
                         double timeout_seconds, const Target* best) {
  BenchPhase phase;
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
        options.channel = &channel;
        std::vector<Combo> best_combos;
        if (best != nullptr) {
          if (best->kernel_target() != ran) {
            out["dispatch_error"] = "the best kernel dispatched " + IsaName(best->kernel_target()) +
                                    ", the candidate " + IsaName(ran);
            return out;
          }
          best_combos = best->workloads(quick);
          options.best = &best_combos;
        }
        const MeasureResult m = Measure(target.workloads(quick), options);
        out["measurement"] = ToJson(m);
        out["peak_mem_mb"] = PeakRssMb();
        return out;
      },
      timeout_seconds);
  phase.seconds = outcome.seconds;
  switch (outcome.status) {
    case ChildOutcome::Status::kOk: {
      phase.isa = outcome.result.value("isa", "");
      if (outcome.result.contains("dispatch_error")) {
        phase.status = PhaseStatus::kFailed;
        phase.failure = outcome.result.at("dispatch_error").get<std::string>();
        break;
      }
      phase.measure = MeasureResultFromJson(outcome.result.at("measurement"));
      phase.peak_mem_mb = outcome.result.value("peak_mem_mb", 0.0);
      if (phase.measure->mismatch) {
        const Mismatch& mm = *phase.measure->mismatch;
        phase.status = PhaseStatus::kFailed;
        phase.failure = "timed output differs from the reference in " +
                        phase.measure->mismatch_combo + ": " + mm.field + "[" +
                        std::to_string(mm.index) + "] expected " + mm.expected +
                        ", got " + mm.got + " (" + mm.rule + ")";
      }
      break;
    }
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

}  // namespace lar
