// Verify and bench phases in child processes.
#include "harness/phases.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "harness/child.h"
#include "base/prng.h"
#include "harness/record.h"
#include "harness/sampler.h"
#include "harness/sysinfo.h"
#include "harness/timer.h"

namespace lar {

VerifyPhase RunVerifyPhase(const Target& target, const std::vector<Isa>& isas,
                           const std::vector<uint64_t>& seeds, bool quick, double timeout_seconds) {
  VerifyPhase phase;
  const ChildOutcome outcome = RunInChild(
      [&](ChildChannel& channel) { return ToJson(Verify(target, isas, seeds, quick, &channel)); },
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
    o.min_replicates = 3;
    o.max_seconds = 2.0;
    o.bootstrap_replicates = 500;
    o.rounds_per_process = 1;
  }
  return o;
}

namespace {

// Expensive, kernel-free set-up once in the parent; the children inherit it.
void Preload(const Target& target, bool quick, const MeasureOptions& options, bool progress) {
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

// One child process: checks that the forced ISA (and the best kernel's)
// dispatched, then samples rounds_per_process rounds. Its result holds the
// raw samples as a measurement document, or a dispatch error.
ChildOutcome SampleInChild(const Target& target, const std::optional<Isa>& isa, bool quick,
                           const MeasureOptions& options, const Target* best,
                           double timeout_seconds) {
  return RunInChild(
      [&](ChildChannel& channel) {
        std::optional<ScopedIsa> scoped;
        if (isa) scoped.emplace(*isa);
        const int64_t ran = target.kernel_target();
        nlohmann::json out = {{"isa", IsaName(ran)}};
        if (isa && ran != isa->bits) {
          out["dispatch_error"] =
              "forced " + isa->name + " but the kernel dispatched " + IsaName(ran);
          return out;
        }
        MeasureOptions child = options;
        child.progress = false;
        child.channel = &channel;
        if (best != nullptr) {
          if (best->kernel_target() != ran) {
            out["dispatch_error"] = "the best kernel dispatched " + IsaName(best->kernel_target()) +
                                    ", the candidate " + IsaName(ran);
            return out;
          }
          child.with_best = true;
        }
        Sampled s = SampleRounds(target.workloads(quick, best ? best->kernel_api : nullptr), child,
                                 options.rounds_per_process);
        MeasureResult raw;
        raw.combos = std::move(s.combos);
        raw.rounds = s.rounds;
        raw.layouts = s.rounds;
        raw.counters_note = s.counters_note;
        raw.mismatch = s.mismatch;
        raw.mismatch_combo = s.mismatch_combo;
        out["measurement"] = ToJson(raw);
        out["peak_mem_mb"] = PeakRssMb();
        return out;
      },
      timeout_seconds);
}

// Appends process `index`'s raw samples to `merged`; every pair of it gets
// the process index as its round (processes are the replication units).
void MergeProcess(const MeasureResult& from, int index, std::vector<ComboMeasurement>* merged) {
  if (merged->empty()) {
    *merged = from.combos;
    for (ComboMeasurement& c : *merged) {
      std::fill(c.sample_round.begin(), c.sample_round.end(), 0);
      std::fill(c.memcpy_round.begin(), c.memcpy_round.end(), 0);
    }
    return;
  }
  for (size_t c = 0; c < merged->size(); ++c) {
    ComboMeasurement& into = (*merged)[c];
    const ComboMeasurement& f = from.combos[c];
    auto append = [](auto& to, const auto& more) { to.insert(to.end(), more.begin(), more.end()); };
    append(into.samples.base, f.samples.base);
    append(into.samples.cand, f.samples.cand);
    append(into.samples.cand_first, f.samples.cand_first);
    append(into.best_ns, f.best_ns);
    append(into.memcpy_ns, f.memcpy_ns);
    into.memcpy_round.insert(into.memcpy_round.end(), f.memcpy_round.size(), index);
    into.output_bytes_per_op =
        (into.output_bytes_per_op * index + f.output_bytes_per_op) / (index + 1);
    into.sample_round.insert(into.sample_round.end(), f.sample_round.size(), index);
    into.ops_checked += f.ops_checked;
    if (into.cycles_per_op >= 0 && f.cycles_per_op >= 0) {
      into.cycles_per_op = (into.cycles_per_op * index + f.cycles_per_op) / (index + 1);
      into.instructions_per_op =
          (into.instructions_per_op * index + f.instructions_per_op) / (index + 1);
    }
  }
}

std::string DescribeMismatch(const MeasureResult& m) {
  return "timed output differs from the reference in " + m.mismatch_combo + ": " +
         m.mismatch->field + "[" + std::to_string(m.mismatch->index) + "] expected " +
         m.mismatch->expected + ", got " + m.mismatch->got + " (" + m.mismatch->rule + ")";
}

}  // namespace

BenchPhase RunBenchPhase(const Target& target, const std::optional<Isa>& isa, bool quick,
                         MeasureOptions options, double timeout_seconds, const Target* best,
                         const Placements* placements) {
  BenchPhase phase;
  const uint64_t start = NowNs();
  auto elapsed = [&] { return static_cast<double>(NowNs() - start) * 1e-9; };
  const bool progress = options.progress && isatty(STDERR_FILENO);
  Preload(target, quick, options, progress);

  // Each child process is one replication unit: its own code placement
  // (`placements`: forked children inherit the parent's mappings, so the
  // layouts are what moves the code), heap, and rounds of memory layouts.
  // Identical code measured in separate processes differs by more than one
  // process's samples show, so the CI is computed across processes.
  std::vector<ComboMeasurement> merged;
  int processes = 0, layouts = 0;
  std::string counters_note;
  bool precise = false;
  for (;;) {
    const Target* candidate = &target;
    const Target* yardstick = best;
    if (placements != nullptr && best != nullptr && !placements->candidate.empty()) {
      const size_t n = placements->candidate.size();
      candidate = placements->candidate[static_cast<size_t>(processes) % n];
      yardstick = placements->best[static_cast<size_t>(processes + 1) % n];
    }
    const ChildOutcome outcome = SampleInChild(*candidate, isa, quick, options, yardstick,
                                               std::max(timeout_seconds - elapsed(), 1.0));
    if (outcome.status != ChildOutcome::Status::kOk) {
      const bool crashed = outcome.status == ChildOutcome::Status::kCrashed;
      phase.status = crashed ? PhaseStatus::kCrashed : PhaseStatus::kTimedOut;
      phase.failure = (crashed ? "crash: " : "") + outcome.Describe();
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
      phase.failure = DescribeMismatch(m);
      phase.measure = std::move(m);
      break;
    }
    MergeProcess(m, processes, &merged);
    ++processes;
    layouts += m.layouts;
    const StopCheck stop = CheckStopping(merged, processes, elapsed(), options);
    if (progress && processes >= 2) {
      std::fprintf(stderr, "\rlar: %d processes  speed-up %.3f  +/- %.2f%%  (%.0f s)\033[K",
                   processes, stop.estimate, 100.0 * stop.half, elapsed());
    }
    if (stop.stop) {
      precise = stop.precise;
      phase.measure = Analyze(merged, processes, options);
      break;
    }
  }
  if (progress) std::fprintf(stderr, "\r\033[K");
  if (phase.measure && phase.status == PhaseStatus::kOk) {
    phase.measure->precision_reached = precise;
    phase.measure->processes = processes;
    phase.measure->layouts = layouts;
    phase.measure->counters_note = counters_note;
    phase.measure->seconds = elapsed();
  }
  phase.seconds = elapsed();
  return phase;
}

}  // namespace lar
