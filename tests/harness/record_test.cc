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

  TEST_CASE("the block carries its fields in order") {
    RunRecord r;
    r.target = "pq-l2";
    r.unit = "query";
    r.isa = "AVX2";
    r.correctness = Correctness::kPass;
    r.measure = SampleMeasurement();
    r.noise_floor_pct = 0.8;
    r.peak_mem_mb = 90.6;
    r.total_seconds = 21.4;
    const std::string block = FormatBlock(r);
    const char* fields[] = {
        "---\n",
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
    r.status = RunStatus::kOk;
    r.verdict = "keep (+6.2%)";
    r.trial = TrialInfo{};
    r.trial->commit = "a1b2c3d";
    VerifyReport v;
    v.target = "pq-l2";
    v.isas = {"AVX2", "SCALAR"};
    v.cases = 10;
    r.verify = v;
    const RunRecord back = RunRecordFromJson(ToJson(r));
    CHECK(back.run_id == r.run_id);
    CHECK(back.verdict == r.verdict);
    REQUIRE(back.trial.has_value());
    CHECK(back.trial->commit == "a1b2c3d");
    REQUIRE(back.verify.has_value());
    CHECK(back.verify->isas == v.isas);
    CHECK(back.verify->passed());
  }

  TEST_CASE("every field of a run record survives a JSON round trip") {
    RunRecord r;
    r.run_id = "20261203T000000-pq-l2-abcd";
    r.command = "trial";
    r.target = "pq-l2";
    r.family = "vector";
    r.unit = "query";
    r.timestamp = "2026-12-03T10:00:00+0000";
    r.fingerprint = "f00d";
    r.harness_version = 2;
    r.isa = "AVX2";
    r.isa_forced = true;
    r.correctness = Correctness::kFail;
    r.status = RunStatus::kFail;
    r.failure = "[AVX2] case 'x': table[3] expected 1, got 2";
    r.noise_floor_pct = 0.37;
    r.noise_floor_source = "kernel A/A 0.37% from the AVX2 baseline";
    r.peak_mem_mb = 90.6;
    r.total_seconds = 12.25;
    r.measure_seed = 7;
    VerifyReport v;
    v.target = "pq-l2";
    v.isas = {"AVX2", "SCALAR"};
    v.seeds = {1, 2};
    v.cases = 10;
    v.failure_count = 1;
    v.failures.push_back({"AVX2", "x", 2, {"table", 3, "1", "2", "exact"}});
    r.verify = v;
    MeasureResult m = SampleMeasurement();
    // Unrounded samples and the explicit order of each pair travel too.
    m.combos[0].samples.base = {100.123456789, 101.000001};
    m.combos[0].samples.cand_first = {1, 0};
    m.combos[0].best_ns = {30.5, 31.25};
    m.combos[0].vs_best = 1.2;
    m.combos[0].vs_best_ci = {1.1, 1.3};
    m.vs_best = Comparison{1.2, {1.1, 1.3}, 0.01, 0.01, 0.005};
    m.combos[0].memcpy_ns = {12.5, 12.75};
    m.combos[0].memcpy_round = {0, 1};
    m.combos[0].output_bytes_per_op = 4096;
    m.combos[0].memcpy_median_ns = 12.6;
    m.combos[0].pct_of_memcpy = 49.9;
    m.memory_speed = MemcpyAnchor{1, 162.2, 202.8, 325.1, 49.9};
    m.mismatch = Mismatch{"distances", 4, "1.5", "1.6", "tolerance"};
    m.mismatch_combo = "(128,16,256) uniform";
    r.measure = m;
    r.verdict = "discard: correctness fail";
    TrialInfo t;
    t.description = "try";
    t.commit = "a1b2c3d4";
    t.dirty = true;
    t.best_commit = "0000000";
    t.best_run_id = "20261202T000000-pq-l2-0000";
    t.kernel_source = "// kernel\n";
    t.kernel_hash = "abc";
    t.compared_in_loop = true;
    t.gate.keep = Keep::kDiscard;
    t.gate.rule = "correctness";
    t.gate.verdict = r.verdict;
    t.gate.exit_code = 2;
    t.gate.gain = 0.01;  // the other numbers stay NaN: not compared
    r.trial = t;
    const RunRecord back = RunRecordFromJson(nlohmann::json::parse(ToJson(r).dump()));
    CHECK(back == r);
    // A change anywhere is seen by the comparison the test relies on.
    RunRecord other = back;
    other.measure->combos[0].samples.cand_first[0] = 0;
    CHECK_FALSE(other == r);
    other = back;
    other.measure->memory_speed->pct_of_memcpy = 50.0;
    CHECK_FALSE(other == r);
  }

  TEST_CASE("the block prints the memory-speed anchor only when a combo has one") {
    RunRecord r;
    r.target = "bitpack";
    r.unit = "page";
    r.measure = SampleMeasurement();
    CHECK(FormatBlock(r).find("pct_of_memcpy") == std::string::npos);
    r.measure->combos[0].output_bytes_per_op = 500;
    r.measure->combos[0].pct_of_memcpy = 61.0;
    r.measure->memory_speed = MemcpyAnchor{1, 19.8, 39.6, 32.5, 61.0};
    const std::string block = FormatBlock(r);
    CHECK(block.find("output_gb_per_s:         19.80  (geomean over 1 combos; memcpy 32.50)\n") !=
          std::string::npos);
    CHECK(block.find("in_out_gb_per_s:         39.60\n") != std::string::npos);
    CHECK(block.find("pct_of_memcpy:           61.0\n") != std::string::npos);
    CHECK(block.find("39.6 GB/s (out 19.8 GB/s, 61% of memcpy)") != std::string::npos);
  }

  TEST_CASE("status, correctness and keep values read back from their text") {
    for (Keep k : {Keep::kBaseline, Keep::kKeep, Keep::kDiscard, Keep::kCrash, Keep::kTimeout,
                   Keep::kInvalid}) {
      CHECK(ParseKeep(ToString(k)) == k);
    }
    CHECK(ParseCorrectness("not run") == Correctness::kNotRun);
    CHECK(ParseRunStatus("invalid") == RunStatus::kInvalid);
    CHECK_FALSE(ParseKeep("kept").has_value());
  }

}  // TEST_SUITE

}  // namespace lar
