// The keep gate, rule by rule, on synthetic records (boundary values
// included).
#include <doctest/doctest.h>

#include <cmath>

#include "harness/exit_codes.h"
#include "harness/gate.h"

namespace lar {
namespace {

// A trial whose candidate is timed against the best in the same loop.
// `changes`: per-combo speed-up over the best; `se`: log SE of each figure.
RunRecord InLoop(const std::vector<double>& changes, double global, double global_se,
                 double combo_se = 0.002) {
  RunRecord r;
  r.target = "pq-l2";
  r.status = RunStatus::kOk;
  r.correctness = Correctness::kPass;
  MeasureResult m;
  m.speedup = 5.0;
  m.vs_best =
      Comparison{global,
                 {global * std::exp(-1.645 * global_se), global * std::exp(1.645 * global_se)},
                 global_se,
                 global_se,
                 0.0};
  for (size_t i = 0; i < changes.size(); ++i) {
    ComboMeasurement c;
    c.shape = "(" + std::to_string(i) + ")";
    c.distribution = "d";
    c.vs_best = changes[i];
    c.vs_best_log_se = combo_se;
    c.cand_median_ns = 1000.0;
    c.best_median_ns = 1000.0 * changes[i];
    c.speedup = 5.0;
    m.combos.push_back(c);
  }
  r.measure = m;
  return r;
}

RunRecord Best() {
  RunRecord b = InLoop({1.0, 1.0, 1.0}, 1.0, 0.002);
  b.measure->vs_best.reset();
  return b;
}

GateResult Gate(const RunRecord& trial, double floor = -1.0) {
  static const RunRecord best = Best();
  GateInput in;
  in.trial = &trial;
  in.best = &best;
  in.best_commit = "a1b2c3d";
  in.noise_floor_pct = floor;
  return ApplyGate(in);
}

}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("crash, timeout and invalid come first, with their exit codes") {
    RunRecord t = InLoop({1.1}, 1.1, 0.001);
    t.status = RunStatus::kCrash;
    t.failure = "SIGSEGV during bench";
    GateResult g = Gate(t);
    CHECK(g.keep == Keep::kCrash);
    CHECK(g.exit_code == kExitCrash);
    CHECK(g.verdict.find("SIGSEGV") != std::string::npos);
    t.status = RunStatus::kTimeout;
    g = Gate(t);
    CHECK(g.keep == Keep::kTimeout);
    CHECK(g.exit_code == kExitBudget);

    RunRecord bad = InLoop({1.1}, 1.1, 0.001);
    bad.correctness = Correctness::kFail;  // invalid wins over a failed battery
    GateInput in;
    in.trial = &bad;
    const RunRecord best = Best();
    in.best = &best;
    in.outside_files = std::vector<std::string>{"src/harness/measure.cc"};
    g = ApplyGate(in);
    CHECK(g.keep == Keep::kInvalid);
    CHECK(g.rule == "edit-scope");
    CHECK(g.exit_code == kExitInvalid);
    CHECK(g.verdict.find("src/harness/measure.cc") != std::string::npos);
    in.force_baseline = true;
    bad.correctness = Correctness::kPass;
    CHECK(ApplyGate(in).keep == Keep::kBaseline);
  }

  TEST_CASE("correctness failure is a discard with exit 2") {
    RunRecord t = InLoop({1.5}, 1.5, 0.001);
    t.correctness = Correctness::kFail;
    t.failure = "[AVX2] case 'x': distances[3] expected 1, got 2";
    const GateResult g = Gate(t);
    CHECK(g.keep == Keep::kDiscard);
    CHECK(g.rule == "correctness");
    CHECK(g.exit_code == kExitCorrectness);
  }

  TEST_CASE("the first trial is the baseline") {
    const RunRecord t = InLoop({1.0}, 1.0, 0.001);
    GateInput in;
    in.trial = &t;
    const GateResult g = ApplyGate(in);
    CHECK(g.keep == Keep::kBaseline);
    CHECK(g.exit_code == kExitOk);
  }

  TEST_CASE("significance: uncalibrated, the 95% lower bound of the gain must reach 1%") {
    // +5% with a tight CI: kept.
    GateResult g = Gate(InLoop({1.05, 1.05, 1.05}, 1.05, 0.002));
    CHECK(g.keep == Keep::kKeep);
    CHECK(g.exit_code == kExitOk);
    CHECK(g.verdict.find("+5.0%") != std::string::npos);
    // +0.5%: not enough, whatever the p-value.
    g = Gate(InLoop({1.005, 1.005, 1.005}, 1.005, 0.0001));
    CHECK(g.keep == Keep::kDiscard);
    CHECK(g.rule == "significance");
    CHECK(g.exit_code == kExitDiscard);
    CHECK(g.p_value < 0.001);
    // Boundary: lower bound exactly 1% (+ epsilon) keeps, just below discards.
    const double se = 0.004;
    const double at = std::log(1.01) + 1.6448536 * se;
    CHECK(Gate(InLoop({1.03, 1.03, 1.03}, std::exp(at + 1e-6), se)).keep == Keep::kKeep);
    CHECK(Gate(InLoop({1.03, 1.03, 1.03}, std::exp(at - 1e-4), se)).keep == Keep::kDiscard);
    // A wide CI hides a +3% point estimate.
    g = Gate(InLoop({1.03, 1.03, 1.03}, 1.03, 0.02));
    CHECK(g.keep == Keep::kDiscard);
    CHECK(g.gain_lower < 0.01);
  }

  TEST_CASE("calibrated: the keep minimum is the noise floor, but at least 0.25%") {
    const RunRecord t = InLoop({1.025, 1.025, 1.025}, 1.025, 0.001);
    CHECK(Gate(t, 0.5).keep == Keep::kKeep);
    GateResult g = Gate(t, 3.0);
    CHECK(g.keep == Keep::kDiscard);
    CHECK(g.threshold == doctest::Approx(0.03));
    CHECK(g.verdict.find("keep minimum = max(+0.25%, noise floor 3.00%)") != std::string::npos);
    // A real half-percent gain measured tightly: kept on a quiet, calibrated
    // machine, not without calibration.
    const RunRecord half = InLoop({1.005, 1.005, 1.005}, 1.005, 0.0005);
    g = Gate(half, 0.1);
    CHECK(g.keep == Keep::kKeep);
    CHECK(g.threshold == doctest::Approx(0.0025));
    CHECK(Gate(half, -1.0).keep == Keep::kDiscard);
    CHECK(Gate(half, 0.45).keep == Keep::kDiscard);
    // Boundary at the 0.25% floor: lower bound just above keeps, below discards.
    const double se = 0.001;
    const double at = std::log(1.0025) + 1.6448536 * se;
    CHECK(Gate(InLoop({1.01, 1.01, 1.01}, std::exp(at + 1e-6), se), 0.05).keep == Keep::kKeep);
    CHECK(Gate(InLoop({1.01, 1.01, 1.01}, std::exp(at - 1e-5), se), 0.05).keep == Keep::kDiscard);
    CHECK(KeepMinimum(-1.0) == doctest::Approx(0.01));
    CHECK(KeepMinimum(0.0) == doctest::Approx(0.0025));
    CHECK(KeepMinimum(0.7) == doctest::Approx(0.007));
  }

  TEST_CASE("worst-combo guard: no combo may lose more than 5%") {
    GateResult g = Gate(InLoop({1.20, 1.20, 0.94}, 1.14, 0.002));
    CHECK(g.keep == Keep::kDiscard);
    CHECK(g.rule == "worst-combo");
    CHECK(g.worst_combo == "(2) d");
    CHECK(g.worst_change == doctest::Approx(-0.06));
    // -4.9% passes the guard (and the trade-off: 600 ns gained vs 49 lost).
    g = Gate(InLoop({1.30, 1.30, 0.951}, 1.17, 0.002));
    CHECK(g.keep == Keep::kKeep);
  }

  TEST_CASE("trade-off: gains must be 10x the significant losses") {
    // +10% on one combo (100 ns), -3% on two (60 ns, significant): discard.
    GateResult g = Gate(InLoop({1.10, 0.97, 0.97}, 1.025, 0.001));
    CHECK(g.keep == Keep::kDiscard);
    CHECK(g.rule == "trade-off");
    CHECK(g.improvement_ns == doctest::Approx(100.0));
    CHECK(g.regression_ns == doctest::Approx(60.0));
    // The same losses within each combo's noise do not count.
    g = Gate(InLoop({1.10, 0.97, 0.97}, 1.025, 0.001, 0.05));
    CHECK(g.keep == Keep::kKeep);
    CHECK(g.regression_ns == 0.0);
  }

  TEST_CASE("without an in-loop comparison the best's record is used") {
    RunRecord best = Best();
    best.measure->speedup = 4.0;
    best.measure->log_se = 0.003;
    for (ComboMeasurement& c : best.measure->combos) {
      c.speedup = 4.0;
      c.log_se = 0.003;
      c.ref_median_ns = 4000.0;
    }
    RunRecord t = best;
    t.measure->speedup = 4.4;
    for (ComboMeasurement& c : t.measure->combos) c.speedup = 4.4;
    GateInput in;
    in.trial = &t;
    in.best = &best;
    GateResult g = ApplyGate(in);
    CHECK(g.keep == Keep::kKeep);
    CHECK(g.gain == doctest::Approx(0.1));
    CHECK(g.verdict.find("recorded run") != std::string::npos);
    // Workloads that differ cannot be compared.
    t.measure->combos[0].shape = "(99)";
    g = ApplyGate(in);
    CHECK(g.keep == Keep::kDiscard);
    CHECK(g.verdict.find("no counterpart") != std::string::npos);
  }

  TEST_CASE("the verdict prints the digits its comparison needs, and names the ISA") {
    // 0.99996% vs 1%: at one decimal both read +1.0%.
    const auto [a, b] = ComparedPercents(0.0099996, 0.01);
    CHECK(a != b);
    CHECK(a == "+0.99996%");
    CHECK(b == "+1.00000%");
    CHECK(ComparedPercents(0.004, 0.01).first == "+0.4%");
    CHECK(ComparedPercents(0.01, 0.01).first == "+1.0%");
    // The bound asked for keeps its digits.
    CHECK(ComparedPercents(-0.001, 0.0025) ==
          std::pair<std::string, std::string>("-0.10%", "+0.25%"));
    CHECK(ComparedPercents(0.0042, 0.0025).second == "+0.25%");
    RunRecord t = InLoop({1.03, 1.03, 1.03}, 1.03, 0.01);
    t.isa = "AVX2";
    const GateResult g = Gate(t);
    CHECK(g.verdict.find("the AVX2 best a1b2c3d") != std::string::npos);
    CHECK(g.comparison == "in-loop");
    GateInput in;
    in.trial = &t;
    CHECK(ApplyGate(in).verdict.find("later AVX2 trials of pq-l2") != std::string::npos);
  }

  TEST_CASE("an in-loop figure against another run is not used for this best") {
    RunRecord best = Best();
    best.measure->speedup = 5.0;
    best.measure->log_se = 0.001;
    for (ComboMeasurement& c : best.measure->combos) c.log_se = 0.001;
    // In the loop the trial beat its own best by 20%; against `best` its
    // recorded speed-up is the same.
    RunRecord t = InLoop({1.2, 1.2, 1.2}, 1.2, 0.001, 0.001);
    t.measure->log_se = 0.001;
    for (ComboMeasurement& c : t.measure->combos) c.log_se = 0.001;
    GateInput in;
    in.trial = &t;
    in.best = &best;
    CHECK(ApplyGate(in).keep == Keep::kKeep);
    in.in_loop_is_best = false;
    const GateResult g = ApplyGate(in);
    CHECK(g.keep == Keep::kDiscard);
    CHECK(g.comparison == "records");
    CHECK(g.verdict.find("cross-run") != std::string::npos);
  }

  TEST_CASE("--isas: a named ISA that regresses against the best discards") {
    RunRecord t = InLoop({1.05, 1.05, 1.05}, 1.05, 0.002);
    IsaRun avx2;
    avx2.isa = "AVX2";
    avx2.measure.speedup = 2.0;
    avx2.measure.vs_best = Comparison{0.97, {0.96, 0.98}, 0.003, 0.003, 0.0};
    t.per_isa.push_back(avx2);
    GateResult g = Gate(t);
    CHECK(g.keep == Keep::kDiscard);
    CHECK(g.rule == "isa-regression");
    CHECK(g.decided_by_isa == "AVX2");
    CHECK(g.verdict.find("but AVX2 regressed -3.0%") != std::string::npos);
    // Within the allowed 1% (upper bound above -1%): kept.
    t.per_isa[0].measure.vs_best = Comparison{0.995, {0.99, 1.0}, 0.003, 0.003, 0.0};
    CHECK(Gate(t).keep == Keep::kKeep);
    // That ISA's own noise floor widens the allowance.
    t.per_isa[0].measure.vs_best = Comparison{0.985, {0.98, 0.99}, 0.001, 0.001, 0.0};
    CHECK(Gate(t).keep == Keep::kDiscard);
    t.per_isa[0].noise_floor_pct = 2.0;
    CHECK(Gate(t).keep == Keep::kKeep);
    // Without an in-loop figure, the best's record of that ISA; none: not judged.
    RunRecord records = t;
    records.per_isa[0].noise_floor_pct = -1.0;
    records.per_isa[0].measure.vs_best.reset();
    records.per_isa[0].measure.log_se = 0.002;
    RunRecord best = Best();
    const std::optional<IsaChange> none = CompareAtIsa(records.per_isa[0], &best, false);
    CHECK_FALSE(none.has_value());
    IsaRun best_avx2 = records.per_isa[0];
    best_avx2.measure.speedup = 2.2;  // the trial's 2.0 is 9% slower
    best.per_isa.push_back(best_avx2);
    const std::optional<IsaChange> c = CompareAtIsa(records.per_isa[0], &best, false);
    REQUIRE(c.has_value());
    CHECK(c->change == doctest::Approx(2.0 / 2.2 - 1.0));
    CHECK(c->upper < c->limit);
  }

}  // TEST_SUITE

}  // namespace lar
