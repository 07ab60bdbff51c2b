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
// Undoes SampleInChild's slot swap on one process's samples: the
// candidate's timings were taken in the best's slot and the reverse, and
// its pairs ran first exactly when the best's slot did not. Counters
// followed the candidate's slot, so they measured the best: dropped.
void UnswapSlots(MeasureResult* m) {
  for (ComboMeasurement& c : m->combos) {
    std::swap(c.samples.cand, c.best_ns);
    for (uint8_t& first : c.samples.cand_first) first = first != 0 ? 0 : 1;
    c.cycles_per_op = -1.0;
    c.instructions_per_op = -1.0;
  }
  if (m->mismatch) {
    const std::string prefix = "best kernel ";
    std::string& field = m->mismatch->field;
    field = field.rfind(prefix, 0) == 0 ? field.substr(prefix.size()) : prefix + field;
  }
}

// `swap_slots` (with `best`): the best runs in the candidate's slot of the
// sampler and the candidate in the best's, and the samples are swapped
// back, so a bias of a slot (measured: pq-dot's candidate slot 5-9% slower
// on its largest combo with identical kernels) falls on each kernel in
// alternate processes and shows in the spread across processes.
ChildOutcome SampleInChild(const Target& target, const std::optional<Isa>& isa, bool quick,
                           const MeasureOptions& options, const Target* best,
                           double timeout_seconds, bool swap_slots = false) {
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
        const bool swapped = swap_slots && best != nullptr;
        child.best_in_candidate_slot = swapped;
        const Target& in_cand_slot = swapped ? *best : target;
        const Target* in_best_slot = swapped ? &target : best;
        Sampled s = SampleRounds(
            in_cand_slot.workloads(quick, in_best_slot ? in_best_slot->kernel_api : nullptr), child,
            options.rounds_per_process);
        MeasureResult raw;
        raw.combos = std::move(s.combos);
        raw.rounds = s.rounds;
        raw.layouts = s.rounds;
        raw.counters_note = s.counters_note;
        raw.mismatch = s.mismatch;
        raw.mismatch_combo = s.mismatch_combo;
        if (swapped) UnswapSlots(&raw);
        out["measurement"] = ToJson(raw);
        out["peak_mem_mb"] = PeakRssMb();
        return out;
      },
      timeout_seconds);
}

// Appends process number `index`'s raw samples to `merged`; its pairs get
// `unit` as their round (the replication unit of the statistics: the
// process, or its pair of processes). `counted`: per combo, the processes
// whose cycle counts are averaged in.
void MergeProcess(const MeasureResult& from, int index, int unit,
                  std::vector<ComboMeasurement>* merged, std::vector<int>* counted) {
  if (merged->empty()) {
    *merged = from.combos;
    counted->assign(merged->size(), 0);
    for (size_t c = 0; c < merged->size(); ++c) (*counted)[c] = (*merged)[c].cycles_per_op >= 0;
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
    into.memcpy_round.insert(into.memcpy_round.end(), f.memcpy_round.size(), unit);
    into.output_bytes_per_op =
        (into.output_bytes_per_op * index + f.output_bytes_per_op) / (index + 1);
    into.sample_round.insert(into.sample_round.end(), f.sample_round.size(), unit);
    into.ops_checked += f.ops_checked;
    if (f.cycles_per_op >= 0) {
      // Averaged over the processes that counted (not the slot-swapped).
      const double k = into.cycles_per_op >= 0 ? (*counted)[c] : 0;
      into.cycles_per_op = (std::max(into.cycles_per_op, 0.0) * k + f.cycles_per_op) / (k + 1);
      into.instructions_per_op =
          (std::max(into.instructions_per_op, 0.0) * k + f.instructions_per_op) / (k + 1);
      (*counted)[c] = static_cast<int>(k) + 1;
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

  // Each child process draws its own memory layouts (and, with
  // `placements`, runs the kernels' code at another place: forked children
  // inherit the parent's mappings, so the layouts are what moves the code).
  // Identical code measured in separate processes differs by more than one
  // process's samples show, so the CI is computed across processes. With a
  // best kernel the unit is a pair of processes: both run the candidate and
  // the best in the same code layout, one with the kernels' slots swapped
  // (SampleInChild), so the pair cancels a bias of the slots and the same
  // layout of both cancels what placement does to identical code; what is
  // left varying from pair to pair (layout x change, memory layout, drift)
  // is what the CI carries.
  const bool paired = best != nullptr;
  // A pair samples as many rounds as one unpaired process.
  if (paired) options.rounds_per_process = std::max(1, options.rounds_per_process / 2);
  std::vector<ComboMeasurement> merged;
  std::vector<int> counted;
  int processes = 0, layouts = 0;
  std::string counters_note;
  bool precise = false;
  for (;;) {
    const int unit = paired ? processes / 2 : processes;
    const Target* candidate = &target;
    const Target* yardstick = best;
    if (placements != nullptr && best != nullptr && !placements->candidate.empty()) {
      const size_t k = static_cast<size_t>(unit) % placements->candidate.size();
      candidate = placements->candidate[k];
      yardstick = placements->best[k];
    }
    MeasureOptions child = options;
    child.layout_seed =
        DeriveSeed(DeriveSeed(options.seed, "layout"), static_cast<uint64_t>(processes));
    const ChildOutcome outcome =
        SampleInChild(*candidate, isa, quick, child, yardstick,
                      std::max(timeout_seconds - elapsed(), 1.0), paired && processes % 2 == 1);
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
    MergeProcess(m, processes, unit, &merged, &counted);
    ++processes;
    layouts += m.layouts;
    const int units = paired ? (processes + 1) / 2 : processes;
    const StopCheck stop = CheckStopping(merged, units, elapsed(), options);
    if (progress && processes >= 2) {
      std::fprintf(stderr, "\rlar: %d processes  speed-up %.3f  +/- %.2f%%  (%.0f s)\033[K",
                   processes, stop.estimate, 100.0 * stop.half, elapsed());
    }
    // With a best: stop on a whole pair (unless time ran out).
    const bool half_pair = paired && processes % 2 == 1 && elapsed() < options.max_seconds;
    if (stop.stop && !half_pair) {
      precise = stop.precise;
      phase.measure = Analyze(merged, units, options);
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
