// The shared measurement loop. Nothing here knows a target: it sees only
// ComboState's Run/Check/Refresh.
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

// z for a two-sided interval of the given confidence (normal approximation).
double TwoSidedZ(double confidence) {
  // Bisection on the survival function; precise enough for reporting.
  const double tail = (1.0 - confidence) / 2.0;
  double lo = 0.0, hi = 10.0;
  for (int i = 0; i < 100; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (NormalSurvival(mid) > tail) lo = mid; else hi = mid;
  }
  return 0.5 * (lo + hi);
}

struct Running {
  const Combo* combo;
  std::unique_ptr<ComboState> state;
  ComboMeasurement m;
  size_t cursor = 0;     // next slot
  uint64_t pairs = 0;    // pairs taken so far (sets the A/B order)
  uint64_t cand_ops = 0; // for counters
  uint64_t cycles = 0;
  uint64_t instructions = 0;
};

// Times `n` operations of `impl` on consecutive slots starting at `first`.
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

// Estimate of one combo from the pairs of one round (or all rounds).
double RoundEstimate(const ComboMeasurement& m, Estimator e, int round) {
  std::vector<size_t> indices;
  for (size_t i = 0; i < m.sample_round.size(); ++i) {
    if (m.sample_round[i] == round) indices.push_back(i);
  }
  return Speedup(e, m.samples, indices);
}

// Standard error of the mean of per-round log estimates: what the rounds
// themselves say about uncertainty, including slow regimes that a pair
// bootstrap (which assumes independent pairs) cannot see.
double BetweenRoundSe(const std::vector<double>& round_logs) {
  const size_t r = round_logs.size();
  if (r < 2) return 0.0;
  double mean = 0.0;
  for (double v : round_logs) mean += v;
  mean /= static_cast<double>(r);
  double var = 0.0;
  for (double v : round_logs) var += (v - mean) * (v - mean);
  var /= static_cast<double>(r - 1);
  return std::sqrt(var / static_cast<double>(r));
}

}  // namespace

double HalfWidth(double estimate, const Interval& ci) {
  return std::max(ci.hi / estimate - 1.0, 1.0 - ci.lo / estimate);
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

  std::unique_ptr<Counters> counters;
  if (options.count_cycles) {
    counters = std::make_unique<Counters>();
    if (!counters->available()) result.counters_note = counters->unavailable_reason();
  } else {
    result.counters_note = "disabled";
  }

  // Untimed set-up, warm-up and calibration of each combo.
  std::vector<Running> running(combos.size());
  for (size_t c = 0; c < combos.size(); ++c) {
    Running& r = running[c];
    r.combo = &combos[c];
    r.m.shape = combos[c].shape;
    r.m.distribution = combos[c].distribution;
    if (options.channel) {
      options.channel->Mark("bench set-up " + r.m.shape + " " + r.m.distribution);
    }
    if (progress) {
      std::fprintf(stderr, "\rlar: preparing %s %s...\033[K", r.m.shape.c_str(),
                   r.m.distribution.c_str());
    }
    r.state = combos[c].make(DeriveSeed(options.seed, c));
    r.m.bytes_per_op = r.state->bytes_per_op();
    const size_t slots = r.state->slots();
    // Warm-up: one untimed operation per kernel, checked.
    if (options.channel) {
      options.channel->Mark("bench warm-up " + r.m.shape + " " + r.m.distribution);
    }
    r.state->Run(cand_impl, 0);
    r.state->Run(Impl::kReference, 0);
    if (!options.self_compare) {
      if (auto mm = r.state->Check(0)) {
        result.mismatch = mm;
        result.mismatch_combo = r.m.shape + " " + r.m.distribution;
        result.seconds = elapsed();
        return result;
      }
      ++r.m.ops_checked;
    }
    r.state->Refresh(0);
    // Calibrate: ops per sample so that a sample lasts >= min_sample_ns.
    double best = 1e300;
    size_t slot = 1 % slots;
    for (int i = 0; i < 3; ++i) {
      best = std::min(best, TimeSample(*r.state, cand_impl, slot, 1, slots));
      r.state->Run(Impl::kReference, slot);
      if (!options.self_compare) {
        if (auto mm = r.state->Check(slot)) {
          result.mismatch = mm;
          result.mismatch_combo = r.m.shape + " " + r.m.distribution;
          result.seconds = elapsed();
          return result;
        }
        ++r.m.ops_checked;
      }
      r.state->Refresh(slot);
      slot = slot + 1 == slots ? 0 : slot + 1;
    }
    r.cursor = slot;
    r.m.ops_per_sample = static_cast<size_t>(std::clamp(
        std::ceil(options.min_sample_ns / std::max(best, 1.0)), 1.0, 1e7));
  }

  const double z = TwoSidedZ(options.confidence);
  SplitMix64 order_rng(DeriveSeed(options.seed, "order"));
  std::vector<size_t> order(running.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;

  int round = 0;
  for (;; ++round) {
    // Visit combos in a fresh order each round so no combo always follows
    // the same neighbour (cache and frequency carry-over).
    for (size_t i = order.size(); i > 1; --i) {
      std::swap(order[i - 1], order[order_rng.Below(i)]);
    }
    for (size_t c : order) {
      Running& r = running[c];
      ComboState& state = *r.state;
      const size_t slots = state.slots();
      const size_t n = r.m.ops_per_sample;
      if (options.channel) {
        options.channel->Mark("bench " + r.m.shape + " " + r.m.distribution +
                              " round " + std::to_string(round + 1));
      }
      const uint64_t slice_start = NowNs();
      int taken = 0;
      while (taken < 2 || static_cast<double>(NowNs() - slice_start) * 1e-9 <
                              options.slice_seconds) {
        const size_t first = r.cursor;
        double t_cand, t_ref;
        // Alternate the order inside pairs (C R, R C, ...) so warm-cache and
        // frequency effects of going second cancel over pairs.
        auto time_candidate = [&] {
          if (counters == nullptr || !counters->available()) {
            return TimeSample(state, cand_impl, first, n, slots);
          }
          const uint64_t c0 = counters->cycles();
          const uint64_t i0 = counters->instructions();
          counters->Start();
          const double t = TimeSample(state, cand_impl, first, n, slots);
          counters->Stop();
          r.cycles += counters->cycles() - c0;
          r.instructions += counters->instructions() - i0;
          return t;
        };
        if (r.pairs % 2 == 0) {
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
        for (size_t k = 0; k < touched; ++k) {
          if (!options.self_compare) {
            if (auto mm = state.Check(slot)) {
              result.mismatch = mm;
              result.mismatch_combo = r.m.shape + " " + r.m.distribution;
              result.seconds = elapsed();
              return result;
            }
            ++r.m.ops_checked;
          }
          state.Refresh(slot);
          slot = slot + 1 == slots ? 0 : slot + 1;
        }
        r.cursor = static_cast<size_t>((first + n) % slots);
        r.m.samples.base.push_back(t_ref);
        r.m.samples.cand.push_back(t_cand);
        r.m.sample_round.push_back(round);
        ++r.pairs;
        ++taken;
      }
    }
    const int rounds_done = round + 1;
    if (rounds_done < options.min_rounds && elapsed() < options.max_seconds) {
      continue;
    }
    // Precision so far: a quick bootstrap, widened by round disagreement.
    std::vector<PairedSamples> strata;
    for (const Running& r : running) strata.push_back(r.m.samples);
    const BootstrapResult quick = BootstrapSpeedup(
        strata, options.estimator, options.confidence, 200,
        DeriveSeed(options.seed, rounds_done));
    std::vector<double> round_logs;
    for (int rr = 0; rr < rounds_done; ++rr) {
      double sum = 0.0;
      for (const Running& r : running) {
        sum += std::log(RoundEstimate(r.m, options.estimator, rr));
      }
      round_logs.push_back(sum / static_cast<double>(running.size()));
    }
    const double se = std::max(quick.log_se, BetweenRoundSe(round_logs));
    const double half = std::exp(z * se) - 1.0;
    if (progress) {
      std::fprintf(stderr,
                   "\rlar: round %d  speed-up %.3f  +/- %.2f%%  (%.0f s)\033[K",
                   rounds_done, quick.estimate, 100.0 * half, elapsed());
    }
    if (half <= options.target_halfwidth) {
      result.precision_reached = true;
      break;
    }
    if (elapsed() >= options.max_seconds) break;
  }
  if (progress) std::fprintf(stderr, "\r\033[K");
  result.rounds = round + 1;

  // Final statistics.
  std::vector<PairedSamples> strata;
  for (const Running& r : running) strata.push_back(r.m.samples);
  const BootstrapResult boot =
      BootstrapSpeedup(strata, options.estimator, options.confidence,
                       options.bootstrap_replicates, options.seed);
  std::vector<double> round_logs;
  for (int rr = 0; rr < result.rounds; ++rr) {
    double sum = 0.0;
    for (const Running& r : running) {
      sum += std::log(RoundEstimate(r.m, options.estimator, rr));
    }
    round_logs.push_back(sum / static_cast<double>(running.size()));
  }
  result.bootstrap_log_se = boot.log_se;
  result.between_round_log_se = BetweenRoundSe(round_logs);
  result.speedup = boot.estimate;
  if (result.between_round_log_se > boot.log_se) {
    // The rounds disagree more than the pairs predict: trust the rounds.
    result.log_se = result.between_round_log_se;
    result.speedup_ci = {boot.estimate * std::exp(-z * result.log_se),
                         boot.estimate * std::exp(z * result.log_se)};
  } else {
    result.log_se = boot.log_se;
    result.speedup_ci = boot.ci;
  }
  result.stable = result.between_round_log_se <= 2.0 * boot.log_se ||
                  HalfWidth(result.speedup, result.speedup_ci) <=
                      options.target_halfwidth;

  std::vector<double> medians;
  for (size_t c = 0; c < running.size(); ++c) {
    ComboMeasurement& m = running[c].m;
    m.speedup = boot.stratum_estimate[c];
    std::vector<double> per_round;
    for (int rr = 0; rr < result.rounds; ++rr) {
      per_round.push_back(std::log(RoundEstimate(m, options.estimator, rr)));
    }
    const double round_se = BetweenRoundSe(per_round);
    if (round_se > boot.stratum_log_se[c]) {
      m.log_se = round_se;
      m.speedup_ci = {m.speedup * std::exp(-z * round_se),
                      m.speedup * std::exp(z * round_se)};
    } else {
      m.log_se = boot.stratum_log_se[c];
      m.speedup_ci = boot.stratum_ci[c];
    }
    m.cand_median_ns = Median(m.samples.cand);
    m.cand_low_ns = Quantile(m.samples.cand, kLowQuantile);
    m.cand_min_ns = Min(m.samples.cand);
    m.ref_median_ns = Median(m.samples.base);
    m.ref_low_ns = Quantile(m.samples.base, kLowQuantile);
    if (counters && counters->available() && running[c].cand_ops > 0) {
      const double ops = static_cast<double>(running[c].cand_ops);
      m.cycles_per_op = static_cast<double>(running[c].cycles) / ops;
      m.instructions_per_op = static_cast<double>(running[c].instructions) / ops;
    }
    medians.push_back(m.cand_median_ns);
  }
  result.geomean_ns = Geomean(medians);
  result.median_ns = Median(medians);
  {
    // CI of the geomean of per-combo medians, stratified like the speed-up.
    std::vector<size_t> sizes;
    for (const Running& r : running) sizes.push_back(r.m.samples.cand.size());
    std::vector<double> scratch;
    const BootstrapResult ns = StratifiedBootstrap(
        sizes,
        [&](size_t s, std::span<const size_t> idx) {
          scratch.resize(idx.size());
          for (size_t i = 0; i < idx.size(); ++i) {
            scratch[i] = running[s].m.samples.cand[idx[i]];
          }
          return Median(scratch);
        },
        options.confidence, 500, DeriveSeed(options.seed, "ns"));
    result.geomean_ns_ci = ns.ci;
  }
  for (Estimator e : kAllEstimators) {
    if (e == options.estimator) {
      result.estimators.push_back({e, result.speedup, result.speedup_ci});
      continue;
    }
    const BootstrapResult b = BootstrapSpeedup(
        strata, e, options.confidence, 300, DeriveSeed(options.seed, "est"));
    result.estimators.push_back({e, b.estimate, b.ci});
  }
  for (Running& r : running) {
    result.combos.push_back(std::move(r.m));
  }
  result.seconds = elapsed();
  return result;
}

}  // namespace lar
