// Location estimators, speed-up estimators and the stratified bootstrap.
#include "harness/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/prng.h"

namespace lar {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Quantile of a scratch copy that may be reordered (nth_element).
double QuantileInPlace(std::vector<double>& v, double q) {
  if (v.empty()) return kNaN;
  const double pos = q * static_cast<double>(v.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const double frac = pos - static_cast<double>(lo);
  std::nth_element(v.begin(), v.begin() + lo, v.end());
  const double a = v[lo];
  if (frac == 0.0 || lo + 1 >= v.size()) return a;
  // The next order statistic is the minimum of the upper part.
  const double b = *std::min_element(v.begin() + lo + 1, v.end());
  return a + frac * (b - a);
}

}  // namespace

double Geomean(std::span<const double> values) {
  if (values.empty()) return kNaN;
  double sum = 0.0;
  for (double v : values) {
    if (!(v > 0.0)) return kNaN;
    sum += std::log(v);
  }
  return std::exp(sum / static_cast<double>(values.size()));
}

double Mean(std::span<const double> values) {
  if (values.empty()) return kNaN;
  double sum = 0.0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

double Quantile(std::span<const double> values, double q) {
  std::vector<double> copy(values.begin(), values.end());
  return QuantileInPlace(copy, q);
}

double Median(std::span<const double> values) { return Quantile(values, 0.5); }

double Min(std::span<const double> values) {
  if (values.empty()) return kNaN;
  return *std::min_element(values.begin(), values.end());
}

const char* EstimatorName(Estimator e) {
  switch (e) {
    case Estimator::kLowQuantileRatio:
      return "low-quantile-ratio";
    case Estimator::kMinRatio:
      return "min-ratio";
    case Estimator::kMedianPairedRatio:
      return "median-paired-ratio";
    case Estimator::kGeomeanPairedRatio:
      return "geomean-paired-ratio";
    case Estimator::kMedianRatio:
      return "median-ratio";
  }
  return "?";
}

std::vector<std::string> EstimatorNames() {
  std::vector<std::string> names;
  for (Estimator e : kAllEstimators) names.push_back(EstimatorName(e));
  return names;
}

std::optional<Estimator> ParseEstimator(std::string_view name) {
  for (Estimator e : kAllEstimators) {
    if (name == EstimatorName(e)) return e;
  }
  return std::nullopt;
}

double RawSpeedup(Estimator e, std::span<const double> base, std::span<const double> cand) {
  if (base.empty() || base.size() != cand.size()) return kNaN;
  switch (e) {
    case Estimator::kLowQuantileRatio:
      return Quantile(base, kLowQuantile) / Quantile(cand, kLowQuantile);
    case Estimator::kMinRatio:
      return Min(base) / Min(cand);
    case Estimator::kMedianRatio:
      return Median(base) / Median(cand);
    case Estimator::kMedianPairedRatio:
    case Estimator::kGeomeanPairedRatio: {
      std::vector<double> ratios(base.size());
      for (size_t i = 0; i < base.size(); ++i) ratios[i] = base[i] / cand[i];
      return e == Estimator::kMedianPairedRatio ? Median(ratios) : Geomean(ratios);
    }
  }
  return kNaN;
}

double Speedup(Estimator e, const PairedSamples& p, std::span<const size_t> indices) {
  std::vector<double> base[2], cand[2];
  auto add = [&](size_t i) {
    const int order = p.CandFirst(i) ? 0 : 1;
    base[order].push_back(p.base[i]);
    cand[order].push_back(p.cand[i]);
  };
  if (indices.empty()) {
    for (size_t i = 0; i < p.base.size(); ++i) add(i);
  } else {
    for (size_t i : indices) add(i);
  }
  if (base[0].empty() && base[1].empty()) return kNaN;
  if (base[0].empty()) return RawSpeedup(e, base[1], cand[1]);
  if (base[1].empty()) return RawSpeedup(e, base[0], cand[0]);
  return std::sqrt(RawSpeedup(e, base[0], cand[0]) * RawSpeedup(e, base[1], cand[1]));
}

BootstrapResult StratifiedBootstrap(std::span<const size_t> stratum_sizes,
                                    const StratumStatistic& statistic, double confidence,
                                    int replicates, uint64_t seed) {
  BootstrapResult r;
  const size_t k = stratum_sizes.size();
  r.stratum_estimate.resize(k);
  r.stratum_ci.resize(k);
  r.stratum_log_se.resize(k);
  if (k == 0) {
    r.estimate = kNaN;
    r.ci = {kNaN, kNaN};
    return r;
  }
  std::vector<size_t> indices;
  double sum_log = 0.0;
  for (size_t s = 0; s < k; ++s) {
    indices.resize(stratum_sizes[s]);
    for (size_t i = 0; i < indices.size(); ++i) indices[i] = i;
    r.stratum_estimate[s] = statistic(s, indices);
    sum_log += std::log(r.stratum_estimate[s]);
  }
  r.estimate = std::exp(sum_log / static_cast<double>(k));

  SplitMix64 rng(seed);
  std::vector<std::vector<double>> stratum_reps(k);
  std::vector<double> global_reps(static_cast<size_t>(replicates));
  for (int rep = 0; rep < replicates; ++rep) {
    double rep_sum = 0.0;
    for (size_t s = 0; s < k; ++s) {
      const size_t n = stratum_sizes[s];
      indices.resize(n);
      for (size_t i = 0; i < n; ++i) indices[i] = static_cast<size_t>(rng.Below(n));
      const double log_est = std::log(statistic(s, indices));
      stratum_reps[s].push_back(log_est);
      rep_sum += log_est;
    }
    global_reps[static_cast<size_t>(rep)] = rep_sum / static_cast<double>(k);
  }

  const double tail = (1.0 - confidence) / 2.0;
  auto summarize = [&](std::vector<double>& reps, Interval* ci, double* se) {
    const double mean = Mean(reps);
    double var = 0.0;
    for (double v : reps) var += (v - mean) * (v - mean);
    *se = reps.size() > 1 ? std::sqrt(var / static_cast<double>(reps.size() - 1)) : 0.0;
    ci->lo = std::exp(QuantileInPlace(reps, tail));
    ci->hi = std::exp(QuantileInPlace(reps, 1.0 - tail));
  };
  summarize(global_reps, &r.ci, &r.log_se);
  for (size_t s = 0; s < k; ++s) {
    summarize(stratum_reps[s], &r.stratum_ci[s], &r.stratum_log_se[s]);
  }
  return r;
}

BootstrapResult BootstrapSpeedup(std::span<const PairedSamples> strata, Estimator e,
                                 double confidence, int replicates, uint64_t seed) {
  std::vector<size_t> sizes;
  for (const PairedSamples& p : strata) sizes.push_back(p.base.size());
  return StratifiedBootstrap(
      sizes, [&](size_t s, std::span<const size_t> idx) { return Speedup(e, strata[s], idx); },
      confidence, replicates, seed);
}

double NormalSurvival(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

namespace {

// Continued fraction of the regularized incomplete beta function (modified
// Lentz), for x < (a + 1) / (a + b + 2).
double BetaContinuedFraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  double c = 1.0;
  double d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 300; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < 1e-15) break;
  }
  return h;
}

double RegularizedBeta(double a, double b, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +
                                a * std::log(x) + b * std::log(1.0 - x));
  if (x < (a + 1.0) / (a + b + 2.0)) return front * BetaContinuedFraction(a, b, x) / a;
  return 1.0 - front * BetaContinuedFraction(b, a, 1.0 - x) / b;
}

// P(T <= t) for Student's t with df degrees of freedom.
double StudentTCdf(double t, double df) {
  const double tail = 0.5 * RegularizedBeta(df / 2.0, 0.5, df / (df + t * t));
  return t >= 0 ? 1.0 - tail : tail;
}

}  // namespace

double StudentTQuantile(double p, double df) {
  double lo = -1e3, hi = 1e3;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (StudentTCdf(mid, df) < p)
      lo = mid;
    else
      hi = mid;
  }
  return 0.5 * (lo + hi);
}

MeanSe MeanAndSe(std::span<const double> values) {
  MeanSe r;
  r.n = values.size();
  if (r.n == 0) return r;
  r.mean = Mean(values);
  if (r.n < 2) return r;
  double var = 0.0;
  for (double v : values) var += (v - r.mean) * (v - r.mean);
  var /= static_cast<double>(r.n - 1);
  r.se = std::sqrt(var / static_cast<double>(r.n));
  return r;
}

}  // namespace lar
