// Statistics for paired timings: location estimators, the speed-up
// estimators lar can choose between, and a bootstrap that is stratified over
// combos so a global confidence interval measures noise, not the combo mix.
#ifndef LAR_HARNESS_STATS_H_
#define LAR_HARNESS_STATS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lar {

// Geometric mean of positive values; NaN if empty or any value is <= 0.
double Geomean(std::span<const double> values);
double Mean(std::span<const double> values);
// Quantile with linear interpolation between order statistics (Hyndman-Fan
// type 7, the R and NumPy default); NaN if empty.
double Quantile(std::span<const double> values, double q);
double Median(std::span<const double> values);
double Min(std::span<const double> values);

// How one combo's speed-up is estimated from its paired samples. Each is a
// candidate; docs/robustness.md measures their stability across processes.
enum class Estimator {
  kLowQuantileRatio,    // q10(base) / q10(cand): the undisturbed regime
  kMinRatio,            // min(base) / min(cand)
  kMedianPairedRatio,   // median over pairs of base_i / cand_i
  kGeomeanPairedRatio,  // exp(mean over pairs of log(base_i / cand_i))
  kMedianRatio,         // median(base) / median(cand)
};
inline constexpr double kLowQuantile = 0.10;
inline constexpr Estimator kAllEstimators[] = {
    Estimator::kLowQuantileRatio, Estimator::kMinRatio, Estimator::kMedianPairedRatio,
    Estimator::kGeomeanPairedRatio, Estimator::kMedianRatio};

const char* EstimatorName(Estimator e);
// Every estimator's name, in kAllEstimators order (for option lists).
std::vector<std::string> EstimatorNames();
std::optional<Estimator> ParseEstimator(std::string_view name);

// Timings (ns per operation) of one combo; base[i] and cand[i] were measured
// back to back on the same inputs, so they form a pair. Pairs alternate
// their order; cand_first records which ran first.
struct PairedSamples {
  std::vector<double> base;
  std::vector<double> cand;
  // Per pair: 1 when cand ran first. Empty: pair i ran cand first when i is
  // even (one process's alternation; merged processes must fill this).
  std::vector<uint8_t> cand_first;
  bool CandFirst(size_t i) const { return cand_first.empty() ? i % 2 == 0 : cand_first[i] != 0; }
  bool operator==(const PairedSamples&) const = default;
};

// Speed-up of cand over base (> 1 means cand is faster) from the plain
// arrays, ignoring order.
double RawSpeedup(Estimator e, std::span<const double> base, std::span<const double> cand);

// Order-balanced speed-up over the pairs `indices` of `p` (all pairs when
// empty): the estimator is computed separately over candidate-first and
// candidate-second pairs and the two are combined by geometric mean, so a
// kernel that is faster when it runs second (warm caches, a frequency
// transition left by the other kernel) is not credited for it.
double Speedup(Estimator e, const PairedSamples& p, std::span<const size_t> indices = {});

struct Interval {
  double lo = 0.0;
  double hi = 0.0;
  bool operator==(const Interval&) const = default;
};

struct BootstrapResult {
  double estimate = 0.0;  // geomean over strata of each stratum's estimate
  Interval ci;            // percentile interval of the global estimate
  double log_se = 0.0;    // standard deviation of log(global) over replicates
  std::vector<double> stratum_estimate;
  std::vector<Interval> stratum_ci;
  std::vector<double> stratum_log_se;
};

// A positive statistic of stratum `s` computed on the resampled indices.
using StratumStatistic = std::function<double(size_t s, std::span<const size_t> indices)>;

// Resamples indices with replacement WITHIN each stratum (combo), recomputes
// every stratum's statistic and their geomean. Strata carry equal weight
// whatever their sample counts. Deterministic for a given seed.
BootstrapResult StratifiedBootstrap(std::span<const size_t> stratum_sizes,
                                    const StratumStatistic& statistic, double confidence,
                                    int replicates, uint64_t seed);

// The speed-up estimator `e` over paired samples (pairs resampled as pairs).
BootstrapResult BootstrapSpeedup(std::span<const PairedSamples> strata, Estimator e,
                                 double confidence, int replicates, uint64_t seed);

// Upper tail of the standard normal: P(Z > z).
double NormalSurvival(double z);

// Quantile of Student's t distribution with `df` degrees of freedom
// (p in (0, 1)); small-sample intervals over rounds use it.
double StudentTQuantile(double p, double df);

// Mean and standard error of values (SE = sd / sqrt(n); 0 when n < 2).
struct MeanSe {
  double mean = 0.0;
  double se = 0.0;
  size_t n = 0;
};
MeanSe MeanAndSe(std::span<const double> values);

}  // namespace lar

#endif  // LAR_HARNESS_STATS_H_
