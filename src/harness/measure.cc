// The shared measurement loop. Nothing here knows a target: it sees only
// ComboState's Run/Check/Refresh/Relocate.
#include "harness/measure.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "harness/child.h"
#include "harness/pmc.h"
#include "harness/prng.h"
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
  size_t cursor = 0;      // next input slot
  uint64_t cand_ops = 0;  // for counters
  uint64_t cycles = 0;
  uint64_t instructions = 0;
};

// Times `n` operations of `impl` on consecutive slots starting at `first`;
// returns ns per operation.
double TimeSample(ComboState& state, Impl impl, size_t first, size_t n,
                  size_t slots) {
  size_t slot = first;
  const uint64_t t0 = NowNs();
  for (size_t k = 0; k < n; ++k) {
    state.Run(impl, slot);
    slot = slot + 1 == slots ? 0 : slot + 1;
  }
  ClobberMemory();
  const uint64_t t1 = NowNs();
  return static_cast<double>(t1 - t0) / static_cast<double>(n);
}

std::vector<std::vector<size_t>> PairsByRound(const ComboMeasurement& m, int rounds) {
  std::vector<std::vector<size_t>> by(static_cast<size_t>(rounds));
  for (size_t i = 0; i < m.sample_round.size(); ++i) {
    by[static_cast<size_t>(m.sample_round[i])].push_back(i);
  }
  return by;
}

// Per-round statistic of one sample column, geometric mean over rounds.
double RoundGeomean(const ComboMeasurement& m, int rounds, bool candidate,
                    double q) {
  std::vector<double> per_round;
  std::vector<double> values;
  for (const std::vector<size_t>& idx : PairsByRound(m, rounds)) {
    values.clear();
    for (size_t i : idx) values.push_back(candidate ? m.samples.cand[i] : m.samples.base[i]);
    if (!values.empty()) per_round.push_back(q < 0 ? Min(values) : Quantile(values, q));
  }
  return Geomean(per_round);
}

// Everything the estimate of one estimator needs, from the pairs so far.
struct Summary {
  std::vector<std::vector<double>> log_cells;  // [combo][round]
  std::vector<double> combo_estimate;
  std::vector<Interval> combo_ci;
  std::vector<double> combo_log_se;
  double estimate = 0.0;
  Interval ci;
  double log_se = 0.0;
  double bootstrap_log_se = 0.0;
  double round_log_se = 0.0;
};

Interval Widen(double estimate, const Interval& a, double log_half) {
  return {std::min(a.lo, estimate * std::exp(-log_half)),
          std::max(a.hi, estimate * std::exp(log_half))};
}

// `vs_best`: the candidate against the best kernel instead of the reference.
Summary Summarize(const std::vector<ComboMeasurement>& ms, int rounds, Estimator e,
                  double confidence, int replicates, uint64_t seed,
                  bool vs_best = false) {
  Summary s;
  const size_t k = ms.size();
  s.log_cells.resize(k);
  for (size_t c = 0; c < k; ++c) {
    const ComboMeasurement& m = ms[c];
    const PairedSamples against_best{m.best_ns, m.samples.cand};
    const PairedSamples& pairs = vs_best ? against_best : m.samples;
    for (const std::vector<size_t>& idx : PairsByRound(m, rounds)) {
      s.log_cells[c].push_back(std::log(Speedup(e, pairs, idx)));
    }
  }
  std::vector<size_t> sizes(k, static_cast<size_t>(rounds));
  const BootstrapResult boot = StratifiedBootstrap(
      sizes,
      [&](size_t c, std::span<const size_t> idx) {
        double sum = 0.0;
        for (size_t r : idx) sum += s.log_cells[c][r];
        return std::exp(sum / static_cast<double>(idx.size()));
      },
      confidence, replicates, seed);
  // Student-t over rounds: captures what all combos of a round share (a
  // slow period, a layout) that per-combo resampling cannot see.
  const double t = rounds > 1 ? StudentTQuantile(0.5 + confidence / 2.0, rounds - 1) : 0.0;
  std::vector<double> global_per_round(static_cast<size_t>(rounds), 0.0);
  for (size_t c = 0; c < k; ++c) {
    for (int r = 0; r < rounds; ++r) {
      global_per_round[static_cast<size_t>(r)] += s.log_cells[c][static_cast<size_t>(r)] / k;
    }
    const MeanSe combo = MeanAndSe(s.log_cells[c]);
    s.combo_estimate.push_back(std::exp(combo.mean));
    s.combo_ci.push_back(Widen(std::exp(combo.mean), boot.stratum_ci[c], t * combo.se));
    s.combo_log_se.push_back(std::max(boot.stratum_log_se[c], combo.se));
  }
  const MeanSe global = MeanAndSe(global_per_round);
  s.estimate = std::exp(global.mean);
  s.bootstrap_log_se = boot.log_se;
  s.round_log_se = global.se;
  s.log_se = std::max(boot.log_se, global.se);
  s.ci = Widen(s.estimate, boot.ci, t * global.se);
  return s;
}

}  // namespace

double HalfWidth(double estimate, const Interval& ci) {
  return std::max(ci.hi / estimate - 1.0, 1.0 - ci.lo / estimate);
}

double PrecisionHalfWidth(const std::vector<ComboMeasurement>& combos, int rounds,
                          const MeasureOptions& options, double* estimate) {
  const Summary s = Summarize(combos, rounds, options.estimator, options.confidence, 200,
                              DeriveSeed(options.seed, rounds));
  *estimate = s.estimate;
  double half = HalfWidth(s.estimate, s.ci);
  if (!combos.empty() && !combos.front().best_ns.empty()) {
    // The gate decides on the comparison with the best: it needs the same
    // precision.
    const Summary b = Summarize(combos, rounds, options.estimator, options.confidence, 200,
                                DeriveSeed(options.seed, rounds + 1000), true);
    half = std::max(half, HalfWidth(b.estimate, b.ci));
  }
  return half;
}

MeasureResult Analyze(std::vector<ComboMeasurement> combos, int rounds,
                      const MeasureOptions& options) {
  MeasureResult result;
  result.estimator = options.estimator;
  result.rounds = rounds;
  const Summary final_summary =
      Summarize(combos, rounds, options.estimator, options.confidence,
                options.bootstrap_replicates, options.seed);
  result.speedup = final_summary.estimate;
  result.speedup_ci = final_summary.ci;
  result.log_se = final_summary.log_se;
  result.bootstrap_log_se = final_summary.bootstrap_log_se;
  result.round_log_se = final_summary.round_log_se;
  const bool with_best = !combos.empty() && !combos.front().best_ns.empty();
  std::optional<Summary> best_summary;
  if (with_best) {
    best_summary = Summarize(combos, rounds, options.estimator, options.confidence,
                             options.bootstrap_replicates, DeriveSeed(options.seed, "best"),
                             true);
    result.vs_best = Comparison{best_summary->estimate, best_summary->ci,
                                best_summary->log_se, best_summary->bootstrap_log_se,
                                best_summary->round_log_se};
  }
  std::vector<double> medians;
  for (size_t c = 0; c < combos.size(); ++c) {
    ComboMeasurement& m = combos[c];
    m.speedup = final_summary.combo_estimate[c];
    m.speedup_ci = final_summary.combo_ci[c];
    m.log_se = final_summary.combo_log_se[c];
    m.round_speedups.clear();
    for (double l : final_summary.log_cells[c]) m.round_speedups.push_back(std::exp(l));
    m.cand_median_ns = RoundGeomean(m, rounds, true, 0.5);
    m.cand_low_ns = RoundGeomean(m, rounds, true, kLowQuantile);
    m.cand_min_ns = RoundGeomean(m, rounds, true, -1.0);
    m.ref_median_ns = RoundGeomean(m, rounds, false, 0.5);
    m.ref_low_ns = RoundGeomean(m, rounds, false, kLowQuantile);
    if (best_summary) {
      m.vs_best = best_summary->combo_estimate[c];
      m.vs_best_ci = best_summary->combo_ci[c];
      m.vs_best_log_se = best_summary->combo_log_se[c];
      m.round_vs_best.clear();
      for (double l : best_summary->log_cells[c]) m.round_vs_best.push_back(std::exp(l));
      std::vector<double> per_round, values;
      for (const std::vector<size_t>& idx : PairsByRound(m, rounds)) {
        values.clear();
        for (size_t i : idx) values.push_back(m.best_ns[i]);
        per_round.push_back(Median(values));
      }
      m.best_median_ns = Geomean(per_round);
    }
    medians.push_back(m.cand_median_ns);
  }
  result.geomean_ns = Geomean(medians);
  result.median_ns = Median(medians);
  {
    // CI of the geomean of medians: stratified by combo, resampling rounds.
    std::vector<std::vector<double>> round_medians(combos.size());
    for (size_t c = 0; c < combos.size(); ++c) {
      std::vector<double> values;
      for (const std::vector<size_t>& idx : PairsByRound(combos[c], rounds)) {
        values.clear();
        for (size_t i : idx) values.push_back(combos[c].samples.cand[i]);
        round_medians[c].push_back(Median(values));
      }
    }
    const std::vector<size_t> sizes(combos.size(), static_cast<size_t>(rounds));
    result.geomean_ns_ci =
        StratifiedBootstrap(
            sizes,
            [&](size_t c, std::span<const size_t> idx) {
              double sum = 0.0;
              for (size_t r : idx) sum += std::log(round_medians[c][r]);
              return std::exp(sum / static_cast<double>(idx.size()));
            },
            options.confidence, 500, DeriveSeed(options.seed, "ns"))
            .ci;
  }
  for (Estimator e : kAllEstimators) {
    if (e == options.estimator) {
      result.estimators.push_back({e, result.speedup, result.speedup_ci});
      continue;
    }
    const Summary s = Summarize(combos, rounds, e, options.confidence, 300,
                                DeriveSeed(options.seed, "est"));
    result.estimators.push_back({e, s.estimate, s.ci});
  }
  result.combos = std::move(combos);
  return result;
}

MeasureResult Measure(const std::vector<Combo>& combos,
                      const MeasureOptions& options) {
  MeasureResult result;
  result.estimator = options.estimator;
  const uint64_t start = NowNs();
  auto elapsed = [&] { return static_cast<double>(NowNs() - start) * 1e-9; };
  const Impl cand_impl =
      options.self_compare ? Impl::kReference : Impl::kCandidate;
  const bool progress = options.progress && isatty(STDERR_FILENO);
  auto mark = [&](const std::string& what) {
    if (options.channel) options.channel->Mark(what);
  };

  std::unique_ptr<Counters> counters;
  if (options.count_cycles) {
    counters = std::make_unique<Counters>();
    if (!counters->available()) result.counters_note = counters->unavailable_reason();
  } else {
    result.counters_note = "disabled";
  }

  std::vector<Running> running(combos.size());
  // One untimed operation of each kernel on `slot`, checked, then a fresh
  // input: after set-up and after every relocation (first touch of new
  // pages is not the kernel's cost).
  auto warm_up = [&](Running& r, size_t slot) {
    r.candidate().Run(cand_impl, slot);
    r.state->Run(Impl::kReference, slot);
    if (options.with_best) r.state->Run(Impl::kBest, slot);
    if (!options.self_compare) {
      if (std::optional<Mismatch> mm = r.state->Check(slot)) {
        result.mismatch = mm;
        result.mismatch_combo = r.m.shape + " " + r.m.distribution;
        return false;
      }
      ++r.m.ops_checked;
    }
    r.state->Refresh(slot);
    if (r.twin) r.twin->Refresh(slot);
    return true;
  };

  // Untimed set-up, warm-up and calibration of each combo.
  for (size_t c = 0; c < combos.size(); ++c) {
    Running& r = running[c];
    r.m.shape = combos[c].shape;
    r.m.distribution = combos[c].distribution;
    mark("bench set-up " + r.m.shape + " " + r.m.distribution);
    if (progress) {
      std::fprintf(stderr, "\rlar: preparing %s %s...\033[K", r.m.shape.c_str(),
                   r.m.distribution.c_str());
    }
    r.state = combos[c].make(DeriveSeed(options.seed, c));
    if (options.self_compare) r.twin = combos[c].make(DeriveSeed(options.seed, c));
    r.m.bytes_per_op = r.state->bytes_per_op();
    const size_t slots = r.state->slots();
    mark("bench warm-up " + r.m.shape + " " + r.m.distribution);
    if (!warm_up(r, 0)) {
      result.seconds = elapsed();
      return result;
    }
    // Ops per sample so that a sample lasts >= min_sample_ns.
    double best = 1e300;
    for (size_t i = 1; i <= 3; ++i) {
      const size_t slot = i % slots;
      best = std::min(best, TimeSample(r.candidate(), cand_impl, slot, 1, slots));
      if (!warm_up(r, slot)) {
        result.seconds = elapsed();
        return result;
      }
    }
    r.cursor = 4 % slots;
    r.m.ops_per_sample = static_cast<size_t>(std::clamp(
        std::ceil(options.min_sample_ns / std::max(best, 1.0)), 1.0, 1e7));
  }

  SplitMix64 order_rng(DeriveSeed(options.seed, "order"));
  std::vector<size_t> order(running.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;

  int rounds = 0;
  for (;;) {
    const int round = rounds;
    // A fresh combo order each round, so no combo always follows the same
    // neighbour (cache and frequency carry-over).
    for (size_t i = order.size(); i > 1; --i) {
      std::swap(order[i - 1], order[order_rng.Below(i)]);
    }
    for (size_t c : order) {
      Running& r = running[c];
      ComboState& state = *r.state;
      ComboState& cand_state = r.candidate();
      const size_t slots = state.slots();
      const size_t n = r.m.ops_per_sample;
      const std::string where = r.m.shape + " " + r.m.distribution + " round " +
                                std::to_string(round + 1);
      if (round > 0) {
        mark("bench relocate " + where);
        state.Relocate();
        if (r.twin) r.twin->Relocate();
        if (!warm_up(r, r.cursor)) {
          result.seconds = elapsed();
          return result;
        }
        r.cursor = (r.cursor + 1) % slots;
      }
      mark("bench " + where);
      const uint64_t slice_start = NowNs();
      for (int taken = 0; taken < 4 || static_cast<double>(NowNs() - slice_start) * 1e-9 <
                                           options.slice_seconds;
           ++taken) {
        const size_t first = r.cursor;
        auto time_candidate = [&] {
          if (counters == nullptr || !counters->available()) {
            return TimeSample(cand_state, cand_impl, first, n, slots);
          }
          const uint64_t c0 = counters->cycles();
          const uint64_t i0 = counters->instructions();
          counters->Start();
          const double t = TimeSample(cand_state, cand_impl, first, n, slots);
          counters->Stop();
          r.cycles += counters->cycles() - c0;
          r.instructions += counters->instructions() - i0;
          return t;
        };
        // Pairs alternate their order (C R, R C, ...): going second can be
        // faster (warm caches) or slower (a frequency transition left by
        // the other kernel); the estimators balance the two orders.
        double t_cand, t_ref, t_best = 0.0;
        const bool even = r.m.samples.base.size() % 2 == 0;
        if (options.with_best) {
          // With a best kernel: C R B, then B R C. Each kernel goes first
          // (right after the check, which reads both kernels' outputs) and
          // precedes and follows the reference equally often.
          if (even) {
            t_cand = time_candidate();
            t_ref = TimeSample(state, Impl::kReference, first, n, slots);
            t_best = TimeSample(state, Impl::kBest, first, n, slots);
          } else {
            t_best = TimeSample(state, Impl::kBest, first, n, slots);
            t_ref = TimeSample(state, Impl::kReference, first, n, slots);
            t_cand = time_candidate();
          }
        } else if (even) {
          t_cand = time_candidate();
          t_ref = TimeSample(state, Impl::kReference, first, n, slots);
        } else {
          t_ref = TimeSample(state, Impl::kReference, first, n, slots);
          t_cand = time_candidate();
        }
        r.cand_ops += n;
        // Verify what was timed, then replace those inputs.
        const size_t touched = std::min(n, slots);
        size_t slot = first;
        for (size_t i = 0; i < touched; ++i) {
          if (!options.self_compare) {
            if (std::optional<Mismatch> mm = state.Check(slot)) {
              result.mismatch = mm;
              result.mismatch_combo = r.m.shape + " " + r.m.distribution;
              result.seconds = elapsed();
              return result;
            }
            ++r.m.ops_checked;
          }
          state.Refresh(slot);
          if (r.twin) r.twin->Refresh(slot);
          slot = slot + 1 == slots ? 0 : slot + 1;
        }
        r.cursor = (first + n) % slots;
        r.m.samples.base.push_back(t_ref);
        r.m.samples.cand.push_back(t_cand);
        if (options.with_best) r.m.best_ns.push_back(t_best);
        r.m.sample_round.push_back(round);
      }
    }
    rounds = round + 1;
    if (rounds < options.min_rounds && elapsed() < options.max_seconds) continue;
    if (rounds < 2) continue;  // an interval needs two rounds
    if (options.max_rounds > 0 && rounds >= options.max_rounds) break;
    std::vector<ComboMeasurement> so_far;
    for (const Running& r : running) so_far.push_back(r.m);
    double estimate = 0.0;
    const double half = PrecisionHalfWidth(so_far, rounds, options, &estimate);
    if (progress) {
      std::fprintf(stderr, "\rlar: round %d  speed-up %.3f  +/- %.2f%%  (%.0f s)\033[K",
                   rounds, estimate, 100.0 * half, elapsed());
    }
    if (half <= options.target_halfwidth && rounds >= options.min_rounds) {
      result.precision_reached = true;
      break;
    }
    if (elapsed() >= options.max_seconds) break;
  }
  if (progress) std::fprintf(stderr, "\r\033[K");
  result.rounds = rounds;

  std::vector<ComboMeasurement> measured;
  for (Running& r : running) {
    if (r.cand_ops > 0 && counters && counters->available()) {
      const double ops = static_cast<double>(r.cand_ops);
      r.m.cycles_per_op = static_cast<double>(r.cycles) / ops;
      r.m.instructions_per_op = static_cast<double>(r.instructions) / ops;
    }
    measured.push_back(std::move(r.m));
  }
  MeasureResult analyzed = Analyze(std::move(measured), rounds, options);
  analyzed.precision_reached = result.precision_reached;
  analyzed.layouts = rounds;
  analyzed.counters_note = result.counters_note;
  result = std::move(analyzed);
  result.seconds = elapsed();
  return result;
}

}  // namespace lar
