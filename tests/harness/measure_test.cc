// The measurement loop on synthetic combos whose true speed ratio is known.
#include <doctest/doctest.h>

#include <memory>

#include "harness/sampler.h"

namespace lar {
namespace {

// A compute-bound operation: a dependent chain of multiply-adds, so its time
// is proportional to the iteration count and immune to cache effects.
uint64_t Spin(uint64_t x, int iterations) {
  for (int i = 0; i < iterations; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
  }
  return x;
}

class SpinCombo final : public ComboState {
 public:
  SpinCombo(int cand_iters, int ref_iters, int wrong_after)
      : cand_iters_(cand_iters), ref_iters_(ref_iters), wrong_after_(wrong_after) {}
  size_t slots() const override { return 8; }
  void Run(Impl impl, size_t i) override {
    const int iters = impl == Impl::kCandidate ? cand_iters_ : ref_iters_;
    out_[impl == Impl::kCandidate ? 0 : 1][i] = Spin(input_[i], iters);
  }
  std::optional<Mismatch> Check(size_t) override {
    if (wrong_after_ >= 0 && ++checks_ > wrong_after_) {
      return Mismatch{"out", 0, "1", "2", "exact"};
    }
    return std::nullopt;
  }
  void Refresh(size_t i) override { input_[i] += 0x9E3779B97F4A7C15ull; }
  void Relocate(uint64_t) override { ++relocations; }
  int relocations = 0;

 private:
  int cand_iters_, ref_iters_, wrong_after_;
  int checks_ = 0;
  uint64_t input_[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  uint64_t out_[2][8] = {};
};

// A combo with the memory-speed anchor: its "copy" spins for `copy_iters`
// (compute-bound, so the expected percentage is exact).
class AnchoredCombo final : public ComboState {
 public:
  AnchoredCombo(int cand_iters, int copy_iters)
      : cand_iters_(cand_iters), copy_iters_(copy_iters) {}
  size_t slots() const override { return 4; }
  void Run(Impl impl, size_t i) override {
    out_[i] = Spin(out_[i], impl == Impl::kCandidate ? cand_iters_ : 2 * cand_iters_);
  }
  std::optional<Mismatch> Check(size_t) override { return std::nullopt; }
  void Refresh(size_t) override {}
  void Relocate(uint64_t) override {}
  double bytes_per_op() const override { return 6000.0; }
  size_t CopyOutput(size_t i) override {
    out_[i] = Spin(out_[i], copy_iters_);
    return 4000;
  }

 private:
  int cand_iters_, copy_iters_;
  uint64_t out_[4] = {};
};

std::vector<Combo> SpinCombos(int cand_iters, int ref_iters, int wrong_after = -1) {
  std::vector<Combo> combos;
  for (int shape = 1; shape <= 2; ++shape) {
    combos.push_back({"(" + std::to_string(shape) + ")", "spin",
                      [=](uint64_t) -> std::unique_ptr<ComboState> {
                        return std::make_unique<SpinCombo>(cand_iters * shape, ref_iters * shape,
                                                           wrong_after);
                      },
                      nullptr});
  }
  return combos;
}

MeasureOptions QuickOptions() {
  MeasureOptions o;
  o.slice_seconds = 0.02;
  o.min_replicates = 3;
  o.max_seconds = 1.5;
  o.bootstrap_replicates = 300;
  o.count_cycles = false;
  return o;
}

}  // namespace

TEST_SUITE("timing") {
  TEST_CASE("a kernel doing half the work measures as ~2x") {
    const MeasureResult r = Measure(SpinCombos(2000, 4000), QuickOptions());
    REQUIRE_FALSE(r.mismatch.has_value());
    CHECK(r.speedup > 1.85);
    CHECK(r.speedup < 2.15);
    CHECK(r.speedup_ci.lo <= r.speedup);
    CHECK(r.speedup <= r.speedup_ci.hi);
    REQUIRE(r.combos.size() == 2);
    for (const ComboMeasurement& c : r.combos) {
      CHECK(c.samples.base.size() == c.samples.cand.size());
      CHECK(c.samples.base.size() == c.sample_round.size());
      CHECK(c.ops_checked > 0);
      // Samples were calibrated to last >= 30 us.
      CHECK(c.cand_median_ns * static_cast<double>(c.ops_per_sample) >= 25e3);
    }
    CHECK(r.rounds >= 3);
    CHECK(r.estimators.size() == std::size(kAllEstimators));
  }

  TEST_CASE("the memory-speed anchor: memcpy timed in the pairs, pct_of_memcpy and GB/s") {
    std::vector<Combo> combos = SpinCombos(2000, 4000);
    combos.push_back({"(anchored)", "spin",
                      [](uint64_t) -> std::unique_ptr<ComboState> {
                        return std::make_unique<AnchoredCombo>(4000, 2000);
                      },
                      nullptr});
    const MeasureResult r = Measure(combos, QuickOptions());
    REQUIRE_FALSE(r.mismatch.has_value());
    CHECK(r.combos[0].memcpy_ns.empty());
    CHECK(r.combos[0].pct_of_memcpy == 0.0);
    const ComboMeasurement& a = r.combos[2];
    // Four copy samples per round, after the round's pairs.
    CHECK(a.memcpy_ns.size() == 4 * static_cast<size_t>(r.rounds));
    CHECK(a.memcpy_round.size() == a.memcpy_ns.size());
    CHECK(a.output_bytes_per_op == 4000.0);
    // The copy takes half the candidate's time: 50% of memcpy's speed.
    CHECK(a.pct_of_memcpy > 45.0);
    CHECK(a.pct_of_memcpy < 55.0);
    REQUIRE(r.memory_speed.has_value());
    CHECK(r.memory_speed->combos == 1);
    CHECK(r.memory_speed->pct_of_memcpy == doctest::Approx(a.pct_of_memcpy));
    CHECK(r.memory_speed->io_gbps == doctest::Approx(1.5 * r.memory_speed->output_gbps));
  }

  TEST_CASE("A/A: the reference against itself measures as ~1x") {
    MeasureOptions o = QuickOptions();
    o.self_compare = true;
    const MeasureResult r = Measure(SpinCombos(2000, 3000), o);
    CHECK(r.speedup > 0.97);
    CHECK(r.speedup < 1.03);
  }

  TEST_CASE("a timed output that differs stops the measurement with the mismatch") {
    const MeasureResult r = Measure(SpinCombos(2000, 4000, 5), QuickOptions());
    REQUIRE(r.mismatch.has_value());
    CHECK(r.mismatch->field == "out");
    CHECK((r.mismatch_combo == "(1) spin" || r.mismatch_combo == "(2) spin"));
  }

  TEST_CASE("sampling stops at the time cap when precision is out of reach") {
    MeasureOptions o = QuickOptions();
    o.target_halfwidth = 1e-9;
    o.max_seconds = 0.5;
    const MeasureResult r = Measure(SpinCombos(2000, 4000), o);
    CHECK_FALSE(r.precision_reached);
    CHECK(r.seconds < 3.0);
  }

  TEST_CASE("a child's sampler runs exactly the rounds asked and records each pair's order") {
    const Sampled s = SampleRounds(SpinCombos(2000, 4000), QuickOptions(), 1);
    CHECK(s.rounds == 1);
    REQUIRE_FALSE(s.mismatch.has_value());
    for (const ComboMeasurement& c : s.combos) {
      REQUIRE(c.samples.cand_first.size() == c.samples.base.size());
      for (int r : c.sample_round) CHECK(r == 0);
      size_t firsts = 0;
      for (uint8_t f : c.samples.cand_first) firsts += f;
      // Alternating C R, R C: each order about half the time.
      CHECK(firsts * 2 >= c.samples.base.size() - 1);
      CHECK(firsts * 2 <= c.samples.base.size() + 1);
    }
  }

  TEST_CASE("the stopping rule: two units at least, min_replicates, then precision or the cap") {
    MeasureOptions o = QuickOptions();
    const Sampled s = SampleRounds(SpinCombos(2000, 4000), o, 3);
    CHECK_FALSE(CheckStopping(s.combos, 1, 100.0, o).stop);
    o.min_replicates = 4;
    CHECK_FALSE(CheckStopping(s.combos, 3, 100.0, o).stop);
    o.min_replicates = 3;
    o.target_halfwidth = 1e-12;
    StopCheck c = CheckStopping(s.combos, 3, 0.0, o);
    CHECK_FALSE(c.stop);
    c = CheckStopping(s.combos, 3, o.max_seconds, o);
    CHECK(c.stop);
    CHECK_FALSE(c.precise);
    o.target_halfwidth = 10.0;
    c = CheckStopping(s.combos, 3, 0.0, o);
    CHECK(c.stop);
    CHECK(c.precise);
  }

}  // TEST_SUITE

}  // namespace lar
