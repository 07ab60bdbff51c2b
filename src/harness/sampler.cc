// The sampling loop. Nothing here knows a target: it sees only
// ComboState's Run/Check/Refresh/Relocate.
#include "harness/sampler.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "harness/child.h"
#include "harness/pmc.h"
#include "base/prng.h"
#include "harness/timer.h"

namespace lar {
namespace {

struct Running {
  std::unique_ptr<ComboState> state;
  // A/A only: a second instance built from the same seed (identical data,
  // its own allocations) whose reference plays the candidate, so the null
  // comparison sees layout differences as a real comparison does.
  std::unique_ptr<ComboState> twin;
  ComboState& candidate() { return twin ? *twin : *state; }
  ComboMeasurement m;
  size_t cursor = 0;    // next input slot
  bool anchor = false;  // ComboState::CopyOutput gives a memcpy to time
  double copied_bytes = 0.0;
  uint64_t copies = 0;
  uint64_t cand_ops = 0;  // for counters
  uint64_t cycles = 0;
  uint64_t instructions = 0;
  double delay_ns = 0.0;  // planted delay per operation of the best
};

// Times `n` operations of `impl` on consecutive slots starting at `first`;
// returns ns per operation. `delay_ns` (a planted delay, testing only):
// spins that long per operation before the clock stops.
double TimeSample(ComboState& state, Impl impl, size_t first, size_t n, size_t slots,
                  double delay_ns = 0.0) {
  size_t slot = first;
  const uint64_t t0 = NowNs();
  for (size_t k = 0; k < n; ++k) {
    state.Run(impl, slot);
    slot = slot + 1 == slots ? 0 : slot + 1;
  }
  ClobberMemory();
  if (delay_ns > 0) {
    const uint64_t until = NowNs() + static_cast<uint64_t>(delay_ns * static_cast<double>(n));
    while (NowNs() < until) {
    }
  }
  const uint64_t t1 = NowNs();
  return static_cast<double>(t1 - t0) / static_cast<double>(n);
}

// The memory-speed anchor: `n` memcpys of the output bytes of consecutive
// slots, as TimeSample times the kernels; returns ns per copy and adds the
// bytes copied to `*bytes`.
double TimeCopy(ComboState& state, size_t first, size_t n, size_t slots, double* bytes) {
  size_t slot = first, copied = 0;
  const uint64_t t0 = NowNs();
  for (size_t k = 0; k < n; ++k) {
    copied += state.CopyOutput(slot);
    slot = slot + 1 == slots ? 0 : slot + 1;
  }
  ClobberMemory();
  const uint64_t t1 = NowNs();
  *bytes += static_cast<double>(copied);
  return static_cast<double>(t1 - t0) / static_cast<double>(n);
}

// Named steps over the combos of one process: SetUp, then SampleRound as
// often as the caller wants, then Take.
class Sampler {
 public:
  Sampler(const std::vector<Combo>& combos, const MeasureOptions& options)
      : combos_(combos),
        options_(options),
        cand_impl_(options.self_compare ? Impl::kReference : Impl::kCandidate),
        running_(combos.size()),
        order_rng_(DeriveSeed(options.seed, "order")),
        start_(NowNs()) {
    if (options.count_cycles) {
      counters_ = std::make_unique<Counters>();
      if (!counters_->available()) out_.counters_note = counters_->unavailable_reason();
    } else {
      out_.counters_note = "disabled";
    }
    for (size_t i = 0; i < combos.size(); ++i) order_.push_back(i);
  }

  // Untimed set-up, warm-up and calibration of ops per sample, per combo.
  bool SetUp();
  // One round: every combo once, in a fresh order, on a fresh memory layout
  // after the first round. False when a timed output was wrong.
  bool SampleRound();
  int rounds() const { return out_.rounds; }
  double elapsed() const { return static_cast<double>(NowNs() - start_) * 1e-9; }
  std::vector<ComboMeasurement> Snapshot() const {
    std::vector<ComboMeasurement> so_far;
    for (const Running& r : running_) so_far.push_back(r.m);
    return so_far;
  }
  Sampled Take();

 private:
  void Mark(const std::string& what) {
    if (options_.channel) options_.channel->Mark(what);
  }
  bool Fail(const Running& r, const Mismatch& m) {
    out_.mismatch = m;
    out_.mismatch_combo = r.m.shape + " " + r.m.distribution;
    return false;
  }
  bool WarmUp(Running& r, size_t slot);
  bool SamplePair(Running& r);
  void SampleCopies(Running& r, int round);
  double TimeCandidate(Running& r, size_t first);
  // The planted delay per operation of `impl` (testing the gate): the
  // best kernel's, wherever this process runs it; 0 for the others.
  double DelayOf(const Running& r, Impl impl) const {
    const Impl best = options_.best_in_candidate_slot ? Impl::kCandidate : Impl::kBest;
    return options_.with_best && impl == best ? r.delay_ns : 0.0;
  }
  // A fresh memory layout for combo c in `round`, drawn from the process's
  // layout seed (also for round 0: the constructor's order is the same in
  // every process).
  void Relocate(Running& r, int round, size_t c) const {
    const uint64_t seed = DeriveSeed(options_.layout_seed, static_cast<uint64_t>(round) << 20 | c);
    r.state->Relocate(seed);
    if (r.twin) r.twin->Relocate(DeriveSeed(seed, "twin"));
  }

  const std::vector<Combo>& combos_;
  const MeasureOptions& options_;
  const Impl cand_impl_;
  std::vector<Running> running_;
  std::unique_ptr<Counters> counters_;
  SplitMix64 order_rng_;
  std::vector<size_t> order_;
  uint64_t start_;
  Sampled out_;
};

// One untimed operation of each kernel on `slot`, checked, then a fresh
// input: after set-up and after every relocation (first touch of new pages
// is not the kernel's cost).
bool Sampler::WarmUp(Running& r, size_t slot) {
  r.candidate().Run(cand_impl_, slot);
  r.state->Run(Impl::kReference, slot);
  if (options_.with_best) r.state->Run(Impl::kBest, slot);
  if (!options_.self_compare) {
    if (std::optional<Mismatch> mm = r.state->Check(slot)) return Fail(r, *mm);
    ++r.m.ops_checked;
  }
  r.state->Refresh(slot);
  if (r.twin) r.twin->Refresh(slot);
  return true;
}

bool Sampler::SetUp() {
  const bool progress = options_.progress && isatty(STDERR_FILENO);
  for (size_t c = 0; c < combos_.size(); ++c) {
    Running& r = running_[c];
    r.m.shape = combos_[c].shape;
    r.m.distribution = combos_[c].distribution;
    Mark("bench set-up " + r.m.shape + " " + r.m.distribution);
    if (progress) {
      std::fprintf(stderr, "\rlar: preparing %s %s...\033[K", r.m.shape.c_str(),
                   r.m.distribution.c_str());
    }
    r.state = combos_[c].make(DeriveSeed(options_.seed, c));
    if (options_.self_compare) r.twin = combos_[c].make(DeriveSeed(options_.seed, c));
    Relocate(r, 0, c);
    r.m.bytes_per_op = r.state->bytes_per_op();
    // A/A compares the reference with itself: no anchor there.
    r.anchor = !options_.self_compare && r.state->CopyOutput(0) > 0;
    const size_t slots = r.state->slots();
    Mark("bench warm-up " + r.m.shape + " " + r.m.distribution);
    if (!WarmUp(r, 0)) return false;
    // Ops per sample so that a sample lasts >= min_sample_ns.
    double best = 1e300;
    for (size_t i = 1; i <= 3; ++i) {
      const size_t slot = i % slots;
      best = std::min(best, TimeSample(r.candidate(), cand_impl_, slot, 1, slots));
      if (!WarmUp(r, slot)) return false;
    }
    r.cursor = 4 % slots;
    r.m.ops_per_sample = static_cast<size_t>(
        std::clamp(std::ceil(options_.min_sample_ns / std::max(best, 1.0)), 1.0, 1e7));
    if (options_.planted_delay > 0 && options_.with_best) {
      // A fraction of a steady operation, timed as the samples will be
      // (a single cold operation overstates it); the inputs are redrawn.
      const size_t n = r.m.ops_per_sample;
      double per_op = 1e300;
      for (int k = 0; k < 3; ++k) {
        per_op = std::min(per_op, TimeSample(r.candidate(), cand_impl_, r.cursor, n, slots));
        for (size_t j = 0; j < std::min(n, slots); ++j) {
          r.state->Refresh((r.cursor + j) % slots);
          if (r.twin) r.twin->Refresh((r.cursor + j) % slots);
        }
        r.cursor = (r.cursor + n) % slots;
      }
      r.delay_ns = options_.planted_delay * per_op;
    }
  }
  if (progress) std::fprintf(stderr, "\r\033[K");
  return true;
}

double Sampler::TimeCandidate(Running& r, size_t first) {
  ComboState& state = r.candidate();
  const size_t n = r.m.ops_per_sample, slots = r.state->slots();
  if (counters_ == nullptr || !counters_->available()) {
    return TimeSample(state, cand_impl_, first, n, slots, DelayOf(r, cand_impl_));
  }
  const uint64_t c0 = counters_->cycles();
  const uint64_t i0 = counters_->instructions();
  counters_->Start();
  const double t = TimeSample(state, cand_impl_, first, n, slots, DelayOf(r, cand_impl_));
  counters_->Stop();
  r.cycles += counters_->cycles() - c0;
  r.instructions += counters_->instructions() - i0;
  return t;
}

// One pair (or triple with the best), then the timed outputs checked and
// their inputs replaced.
bool Sampler::SamplePair(Running& r) {
  ComboState& state = *r.state;
  const size_t slots = state.slots(), n = r.m.ops_per_sample, first = r.cursor;
  // Pairs alternate their order (C R, R C, ...): going second can be faster
  // (warm caches) or slower (a frequency transition left by the other
  // kernel); the estimators balance the two orders. With a best kernel:
  // C R B, then B R C, so each kernel goes first (right after the check,
  // which reads both kernels' outputs) and precedes and follows the
  // reference equally often.
  const bool cand_first = r.m.samples.base.size() % 2 == 0;
  double t_cand = 0.0, t_ref = 0.0, t_best = 0.0;
  if (cand_first) {
    t_cand = TimeCandidate(r, first);
    t_ref = TimeSample(state, Impl::kReference, first, n, slots);
    if (options_.with_best)
      t_best = TimeSample(state, Impl::kBest, first, n, slots, DelayOf(r, Impl::kBest));
  } else {
    if (options_.with_best)
      t_best = TimeSample(state, Impl::kBest, first, n, slots, DelayOf(r, Impl::kBest));
    t_ref = TimeSample(state, Impl::kReference, first, n, slots);
    t_cand = TimeCandidate(r, first);
  }
  r.cand_ops += n;
  size_t slot = first;
  for (size_t i = 0; i < std::min(n, slots); ++i) {
    if (!options_.self_compare) {
      if (std::optional<Mismatch> mm = state.Check(slot)) return Fail(r, *mm);
      ++r.m.ops_checked;
    }
    state.Refresh(slot);
    if (r.twin) r.twin->Refresh(slot);
    slot = slot + 1 == slots ? 0 : slot + 1;
  }
  r.cursor = (first + n) % slots;
  r.m.samples.base.push_back(t_ref);
  r.m.samples.cand.push_back(t_cand);
  r.m.samples.cand_first.push_back(cand_first ? 1 : 0);
  if (options_.with_best) r.m.best_ns.push_back(t_best);
  r.m.sample_round.push_back(out_.rounds);
  return true;
}

// The memory-speed anchor after the combo's pairs of a round: its copies
// go through the kernels' buffers (ComboState::CopyOutput), so no pair of
// the round follows them; the next round starts on fresh buffers with a
// warm-up.
void Sampler::SampleCopies(Running& r, int round) {
  constexpr int kCopySamples = 4;
  const size_t slots = r.state->slots(), n = r.m.ops_per_sample;
  for (int k = 0; k < kCopySamples; ++k) {
    r.m.memcpy_ns.push_back(TimeCopy(*r.state, r.cursor, n, slots, &r.copied_bytes));
    r.m.memcpy_round.push_back(round);
    r.copies += n;
    r.cursor = (r.cursor + n) % slots;
  }
}

bool Sampler::SampleRound() {
  const int round = out_.rounds;
  // A fresh combo order each round, so no combo always follows the same
  // neighbour (cache and frequency carry-over).
  for (size_t i = order_.size(); i > 1; --i) {
    std::swap(order_[i - 1], order_[order_rng_.Below(i)]);
  }
  for (size_t c : order_) {
    Running& r = running_[c];
    const std::string where =
        r.m.shape + " " + r.m.distribution + " round " + std::to_string(round + 1);
    if (round > 0) {
      Mark("bench relocate " + where);
      Relocate(r, round, c);
      if (!WarmUp(r, r.cursor)) return false;
      r.cursor = (r.cursor + 1) % r.state->slots();
    }
    Mark("bench " + where);
    const uint64_t slice_start = NowNs();
    for (int taken = 0;
         taken < 4 || static_cast<double>(NowNs() - slice_start) * 1e-9 < options_.slice_seconds;
         ++taken) {
      if (!SamplePair(r)) return false;
    }
    if (r.anchor) SampleCopies(r, round);
  }
  out_.rounds = round + 1;
  return true;
}

Sampled Sampler::Take() {
  for (Running& r : running_) {
    if (r.cand_ops > 0 && counters_ && counters_->available()) {
      const double ops = static_cast<double>(r.cand_ops);
      r.m.cycles_per_op = static_cast<double>(r.cycles) / ops;
      r.m.instructions_per_op = static_cast<double>(r.instructions) / ops;
    }
    if (r.copies > 0) r.m.output_bytes_per_op = r.copied_bytes / static_cast<double>(r.copies);
    out_.combos.push_back(std::move(r.m));
  }
  out_.seconds = elapsed();
  return std::move(out_);
}

}  // namespace

Sampled SampleRounds(const std::vector<Combo>& combos, const MeasureOptions& options, int rounds) {
  Sampler sampler(combos, options);
  if (sampler.SetUp()) {
    while (sampler.rounds() < rounds && sampler.SampleRound()) {
    }
  }
  return sampler.Take();
}

MeasureResult Measure(const std::vector<Combo>& combos, const MeasureOptions& options) {
  Sampler sampler(combos, options);
  bool ok = sampler.SetUp();
  bool precise = false;
  while (ok && (ok = sampler.SampleRound())) {
    const StopCheck stop =
        CheckStopping(sampler.Snapshot(), sampler.rounds(), sampler.elapsed(), options);
    if (stop.stop) {
      precise = stop.precise;
      break;
    }
  }
  Sampled s = sampler.Take();
  if (!ok) {
    MeasureResult failed;
    failed.estimator = options.estimator;
    failed.mismatch = s.mismatch;
    failed.mismatch_combo = s.mismatch_combo;
    failed.counters_note = s.counters_note;
    failed.seconds = s.seconds;
    return failed;
  }
  MeasureResult m = Analyze(std::move(s.combos), s.rounds, options);
  m.precision_reached = precise;
  m.layouts = s.rounds;
  m.counters_note = s.counters_note;
  m.seconds = s.seconds;
  return m;
}

}  // namespace lar
