// Run records: JSON round trip and the fixed-format block.
#include <doctest/doctest.h>

#include "harness/record.h"

namespace lar {
namespace {

MeasureResult SampleMeasurement() {
  MeasureResult m;
  m.speedup = 4.2;
  m.speedup_ci = {4.1, 4.3};
  m.log_se = 0.01;
  m.geomean_ns = 12345.0;
  m.geomean_ns_ci = {12000.0, 12600.0};
  m.median_ns = 12000.0;
  m.rounds = 5;
  m.processes = 5;
  m.layouts = 10;
  m.precision_reached = true;
  m.counters_note = "perf_event_open: No such file or directory";
  m.estimators.push_back({Estimator::kMinRatio, 4.3, {4.2, 4.4}});
  ComboMeasurement c;
  c.shape = "(128,16,256)";
  c.distribution = "uniform";
  c.ops_per_sample = 1;
  c.samples.base = {100.5, 101.0};
  c.samples.cand = {25.0, 25.5};
  c.sample_round = {0, 1};
  c.speedup = 4.0;
  c.speedup_ci = {3.9, 4.1};
  c.cand_median_ns = 25.25;
  c.bytes_per_op = 1000;
  c.ops_checked = 2;
  m.combos.push_back(c);
  return m;
}

}  // namespace

TEST_SUITE("unit") {

TEST_CASE("a measurement survives a JSON round trip") {
  const MeasureResult m = SampleMeasurement();
  const MeasureResult back = MeasureResultFromJson(ToJson(m));
  CHECK(back.speedup == m.speedup);
  CHECK(back.speedup_ci.lo == m.speedup_ci.lo);
  CHECK(back.rounds == 5);
  CHECK(back.counters_note == m.counters_note);
  REQUIRE(back.estimators.size() == 1);
  CHECK(back.estimators[0].estimator == Estimator::kMinRatio);
  REQUIRE(back.combos.size() == 1);
  CHECK(back.combos[0].samples.base == m.combos[0].samples.base);
  CHECK(back.combos[0].sample_round == m.combos[0].sample_round);
  CHECK(back.combos[0].distribution == "uniform");
}

TEST_CASE("the block carries the fields of SPEC s3 in order") {
  RunRecord r;
  r.target = "pq-l2";
  r.unit = "query";
  r.isa = "AVX2";
  r.correctness = "pass";
  r.measure = SampleMeasurement();
  r.noise_floor_pct = 0.8;
  r.peak_mem_mb = 90.6;
  r.total_seconds = 21.4;
  const std::string block = FormatBlock(r);
  const char* fields[] = {"---\n",
                          "target:                  pq-l2\n",
                          "correctness:             pass\n",
                          "isa:                     AVX2",
                          "passes:                  10\n",
                          "shapes_tested:           (128,16,256)\n",
                          "distributions_tested:    uniform\n",
                          "geomean_ns_per_query:    12345\n",
                          "geomean_ns_ci_90pct:     [12000, 12600]\n",
                          "median_ns_per_query:     12000\n",
                          "geomean_cycles_per_query: n/a (perf_event_open",
                          "speedup_vs_reference:    4.200\n",
                          "speedup_ci_90pct:        [4.100, 4.300]\n",
                          "estimator:               min-ratio over 5 processes, 10 memory layouts",
                          "noise_floor_pct:         0.80\n",
                          "worst_ns_per_query:      25 ((128,16,256), uniform)\n",
                          "best_ns_per_query:       25 ((128,16,256), uniform)\n",
                          "per_combo_geomean_ns:\n",
                          "  (128,16,256) uniform -> 25 ns  x4.00 [3.90, 4.10]",
                          "peak_mem_mb:             90.6\n",
                          "total_seconds:           21.4\n",
                          "verdict:"};
  size_t pos = 0;
  for (const char* f : fields) {
    INFO(std::string(f));
    const size_t at = block.find(f, pos);
    REQUIRE(at != std::string::npos);
    pos = at;
  }
}

TEST_CASE("a run record round-trips, trial fields included") {
  RunRecord r;
  r.run_id = "20261124T000000-pq-l2-abcd";
  r.command = "trial";
  r.target = "pq-l2";
  r.status = "ok";
  r.verdict = "keep (+6.2%)";
  r.trial = {{"commit", "a1b2c3d"}};
  VerifyReport v;
  v.target = "pq-l2";
  v.isas = {"AVX2", "SCALAR"};
  v.cases = 10;
  r.verify = v;
  const RunRecord back = RunRecordFromJson(ToJson(r));
  CHECK(back.run_id == r.run_id);
  CHECK(back.verdict == r.verdict);
  CHECK(back.trial.at("commit") == "a1b2c3d");
  REQUIRE(back.verify.has_value());
  CHECK(back.verify->isas == v.isas);
  CHECK(back.verify->passed());
}

}  // TEST_SUITE

}  // namespace lar
