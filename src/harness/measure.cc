// The statistics of measurements and the stopping rule (the sampling loop
// is in sampler.cc).
#include "harness/measure.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "base/prng.h"

namespace lar {
namespace {

std::vector<std::vector<size_t>> PairsByRound(const ComboMeasurement& m, int rounds) {
  std::vector<std::vector<size_t>> by(static_cast<size_t>(rounds));
  for (size_t i = 0; i < m.sample_round.size(); ++i) {
    by[static_cast<size_t>(m.sample_round[i])].push_back(i);
  }
  return by;
}

// Per-round statistic of one sample column, geometric mean over rounds.
double RoundGeomean(const ComboMeasurement& m, int rounds, bool candidate, double q) {
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
                  double confidence, int replicates, uint64_t seed, bool vs_best = false) {
  Summary s;
  const size_t k = ms.size();
  s.log_cells.resize(k);
  for (size_t c = 0; c < k; ++c) {
    const ComboMeasurement& m = ms[c];
    const PairedSamples against_best{m.best_ns, m.samples.cand, m.samples.cand_first};
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

// The memory-speed anchor of one combo: memcpy's median ns, and the
// candidate's speed as a percentage of memcpy's: the ratio of the two
// minima per round (the primary estimator's rule; the copies are not
// paired with the kernels' samples), geomean over rounds.
void SummarizeMemcpy(ComboMeasurement& m, int rounds) {
  if (m.memcpy_ns.empty() || m.memcpy_round.size() != m.memcpy_ns.size()) return;
  std::vector<double> medians, ratios, copy, cand;
  const std::vector<std::vector<size_t>> pairs = PairsByRound(m, rounds);
  for (int r = 0; r < rounds; ++r) {
    copy.clear();
    cand.clear();
    for (size_t i = 0; i < m.memcpy_ns.size(); ++i) {
      if (m.memcpy_round[i] == r) copy.push_back(m.memcpy_ns[i]);
    }
    for (size_t i : pairs[static_cast<size_t>(r)]) cand.push_back(m.samples.cand[i]);
    if (copy.empty() || cand.empty()) continue;
    medians.push_back(Median(copy));
    ratios.push_back(Min(copy) / Min(cand));
  }
  if (ratios.empty()) return;
  m.memcpy_median_ns = Geomean(medians);
  m.pct_of_memcpy = 100.0 * Geomean(ratios);
}

// Geometric means over the combos that have the anchor.
std::optional<MemcpyAnchor> MemorySpeed(const std::vector<ComboMeasurement>& combos) {
  std::vector<double> out, io, copy, pct;
  for (const ComboMeasurement& c : combos) {
    if (c.memcpy_median_ns <= 0 || c.cand_median_ns <= 0) continue;
    out.push_back(c.output_bytes_per_op / c.cand_median_ns);
    io.push_back(c.bytes_per_op / c.cand_median_ns);
    copy.push_back(c.output_bytes_per_op / c.memcpy_median_ns);
    pct.push_back(c.pct_of_memcpy);
  }
  if (pct.empty()) return std::nullopt;
  return MemcpyAnchor{static_cast<int>(pct.size()), Geomean(out), Geomean(io), Geomean(copy),
                      Geomean(pct)};
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
  const Summary final_summary = Summarize(combos, rounds, options.estimator, options.confidence,
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
                             options.bootstrap_replicates, DeriveSeed(options.seed, "best"), true);
    result.vs_best = Comparison{best_summary->estimate, best_summary->ci, best_summary->log_se,
                                best_summary->bootstrap_log_se, best_summary->round_log_se};
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
    SummarizeMemcpy(m, rounds);
    medians.push_back(m.cand_median_ns);
  }
  result.memory_speed = MemorySpeed(combos);
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
    result.geomean_ns_ci = StratifiedBootstrap(
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
    const Summary s =
        Summarize(combos, rounds, e, options.confidence, 300, DeriveSeed(options.seed, "est"));
    result.estimators.push_back({e, s.estimate, s.ci});
  }
  result.combos = std::move(combos);
  return result;
}

StopCheck CheckStopping(const std::vector<ComboMeasurement>& so_far, int units,
                        double elapsed_seconds, const MeasureOptions& options) {
  StopCheck s;
  if (units < 2) return s;  // an interval needs two replication units
  s.half = PrecisionHalfWidth(so_far, units, options, &s.estimate);
  if (units < options.min_replicates) return s;
  s.precise = s.half <= options.target_halfwidth;
  s.stop = s.precise || elapsed_seconds >= options.max_seconds;
  return s;
}

}  // namespace lar
