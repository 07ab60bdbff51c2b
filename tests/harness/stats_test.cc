// Statistics: known values, estimator behaviour, bootstrap coverage and
// stratification.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "base/prng.h"
#include "harness/stats.h"

namespace lar {
namespace {

// Pairs whose true candidate time is ref / ratio, with multiplicative noise
// shared by the pair (drift) and independent jitter per sample.
PairedSamples Simulate(double ref_ns, double ratio, size_t n, uint64_t seed, double jitter = 0.02) {
  SplitMix64 rng(seed);
  PairedSamples p;
  for (size_t i = 0; i < n; ++i) {
    const double drift = std::exp(0.2 * rng.Normal());
    p.base.push_back(ref_ns * drift * std::exp(jitter * std::fabs(rng.Normal())));
    p.cand.push_back(ref_ns / ratio * drift * std::exp(jitter * std::fabs(rng.Normal())));
  }
  return p;
}

}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("location statistics on known values") {
    const std::vector<double> v = {4.0, 1.0, 3.0, 2.0};
    CHECK(Geomean(std::vector<double>{1.0, 4.0, 16.0}) == doctest::Approx(4.0));
    CHECK(std::isnan(Geomean(std::vector<double>{1.0, 0.0})));
    CHECK(std::isnan(Geomean(std::vector<double>{})));
    CHECK(Mean(v) == doctest::Approx(2.5));
    CHECK(Median(v) == doctest::Approx(2.5));
    CHECK(Median(std::vector<double>{5.0, 1.0, 3.0}) == doctest::Approx(3.0));
    // Type 7: position q * (n - 1) between order statistics.
    CHECK(Quantile(v, 0.25) == doctest::Approx(1.75));
    CHECK(Quantile(v, 0.0) == doctest::Approx(1.0));
    CHECK(Quantile(v, 1.0) == doctest::Approx(4.0));
    CHECK(Quantile(std::vector<double>{10.0}, 0.1) == doctest::Approx(10.0));
    CHECK(Min(v) == 1.0);
  }

  TEST_CASE("every estimator recovers a clean ratio") {
    const PairedSamples p = Simulate(1000.0, 2.5, 400, 3, 0.0);
    for (Estimator e : kAllEstimators) {
      INFO(EstimatorName(e));
      CHECK(Speedup(e, p) == doctest::Approx(2.5).epsilon(1e-9));
      CHECK(ParseEstimator(EstimatorName(e)) == e);
    }
    CHECK_FALSE(ParseEstimator("mean").has_value());
  }

  TEST_CASE("order balancing cancels an advantage of going second") {
    // The candidate is 20% faster whenever it runs second (odd pairs); the
    // reference always takes 300. Balanced: sqrt(3 * 3.6).
    PairedSamples p;
    for (int i = 0; i < 100; ++i) {
      p.base.push_back(300.0);
      p.cand.push_back(i % 2 == 0 ? 100.0 : 100.0 / 1.2);
    }
    const double balanced = std::sqrt(3.0 * 3.6);
    CHECK(Speedup(Estimator::kLowQuantileRatio, p) == doctest::Approx(balanced));
    CHECK(Speedup(Estimator::kMinRatio, p) == doctest::Approx(balanced));
    // Unbalanced, the minimum would credit the favourable order only.
    CHECK(RawSpeedup(Estimator::kMinRatio, p.base, p.cand) == doctest::Approx(3.6));
  }

  TEST_CASE("bootstrap interval brackets the true ratio in most simulations") {
    int covered = 0;
    const int runs = 40;
    for (int r = 0; r < runs; ++r) {
      std::vector<PairedSamples> strata = {Simulate(1000.0, 2.0, 200, 100 + r)};
      const BootstrapResult b =
          BootstrapSpeedup(strata, Estimator::kGeomeanPairedRatio, 0.90, 400, 7 + r);
      REQUIRE(b.ci.lo <= b.estimate);
      REQUIRE(b.estimate <= b.ci.hi);
      // The jitter is |N(0, 0.02)| on both sides, so the true ratio is 2.
      if (b.ci.lo <= 2.0 && 2.0 <= b.ci.hi) ++covered;
    }
    CHECK(covered >= 30);  // nominal 90%: 36 of 40
  }

  TEST_CASE("stratification: a mix of very different combos still gives a tight CI") {
    // Two combos at 2x and 8x with low noise. Equal weight per combo: the
    // global estimate is their geomean, 4x, and the CI reflects noise only.
    std::vector<PairedSamples> strata = {Simulate(1000.0, 2.0, 300, 1, 0.005),
                                         Simulate(5000.0, 8.0, 50, 2, 0.005)};
    const BootstrapResult b =
        BootstrapSpeedup(strata, Estimator::kMedianPairedRatio, 0.90, 1000, 3);
    CHECK(b.estimate == doctest::Approx(4.0).epsilon(0.01));
    CHECK(b.ci.hi / b.ci.lo < 1.01);
    REQUIRE(b.stratum_estimate.size() == 2);
    CHECK(b.stratum_estimate[0] == doctest::Approx(2.0).epsilon(0.01));
    CHECK(b.stratum_estimate[1] == doctest::Approx(8.0).epsilon(0.01));
  }

  TEST_CASE("stratification: sample counts do not weigh combos") {
    // The same two combos, once with 6x more pairs in the slow one: a pooled
    // estimate would shift towards it; the stratified one must not.
    const std::vector<PairedSamples> few = {Simulate(1000.0, 2.0, 50, 1, 0.005),
                                            Simulate(5000.0, 8.0, 50, 2, 0.005)};
    const std::vector<PairedSamples> skewed = {Simulate(1000.0, 2.0, 300, 1, 0.005),
                                               Simulate(5000.0, 8.0, 50, 2, 0.005)};
    const double a = BootstrapSpeedup(few, Estimator::kMedianPairedRatio, 0.9, 200, 1).estimate;
    const double b = BootstrapSpeedup(skewed, Estimator::kMedianPairedRatio, 0.9, 200, 1).estimate;
    CHECK(a == doctest::Approx(b).epsilon(0.005));
  }

  TEST_CASE("bootstrap is deterministic for a seed") {
    std::vector<PairedSamples> strata = {Simulate(1000.0, 3.0, 100, 9)};
    const BootstrapResult a = BootstrapSpeedup(strata, Estimator::kLowQuantileRatio, 0.9, 300, 42);
    const BootstrapResult b = BootstrapSpeedup(strata, Estimator::kLowQuantileRatio, 0.9, 300, 42);
    CHECK(a.ci.lo == b.ci.lo);
    CHECK(a.ci.hi == b.ci.hi);
    CHECK(a.log_se == b.log_se);
  }

  TEST_CASE("normal survival function") {
    CHECK(NormalSurvival(0.0) == doctest::Approx(0.5));
    CHECK(NormalSurvival(1.6448536) == doctest::Approx(0.05).epsilon(1e-4));
    CHECK(NormalSurvival(-1.6448536) == doctest::Approx(0.95).epsilon(1e-4));
  }

}  // TEST_SUITE

}  // namespace lar
