// JSON (de)serialization of run records and the fixed-format block.
#include "harness/record.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "base/strings.h"
#include "base/prng.h"
#include "harness/target.h"
#include "harness/timer.h"
#include "harness/version.h"

namespace lar {
namespace {

using nlohmann::json;

json IntervalJson(const Interval& i) { return json::array({i.lo, i.hi}); }
Interval IntervalFrom(const json& j) { return {j.at(0).get<double>(), j.at(1).get<double>()}; }

std::string Line(const std::string& key, const std::string& value) {
  return StrFormat("%-24s %s\n", (key + ":").c_str(), value.c_str());
}

std::string Ns(double v) { return Fixed(v, 0); }

}  // namespace

std::string PerIsaSummary(const RunRecord& r) {
  std::vector<std::string> parts;
  for (const IsaRun& run : r.per_isa) {
    std::string part = run.isa + " x" + Fixed(run.measure.speedup, 3);
    if (run.measure.vs_best) part += " best x" + Fixed(run.measure.vs_best->speedup, 4);
    parts.push_back(part);
  }
  return Join(parts, ", ");
}

std::string ComboName(const ComboMeasurement& c) { return c.shape + " " + c.distribution; }

std::string NewRunId(const std::string& target) {
  char stamp[32];
  const time_t now = time(nullptr);
  tm tm;
  localtime_r(&now, &tm);
  strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
  SplitMix64 rng(NowNs() ^ (static_cast<uint64_t>(getpid()) << 32));
  return std::string(stamp) + "-" + target + "-" +
         StrFormat("%04llx", static_cast<unsigned long long>(rng.Next() & 0xFFFF));
}

RunRecord NewRecord(const Target& target, const MachineInfo& machine, const std::string& command) {
  RunRecord r;
  r.run_id = NewRunId(target.id);
  r.command = command;
  r.target = target.id;
  r.family = target.family;
  r.unit = target.unit;
  r.timestamp = IsoTimestamp();
  r.fingerprint = Fingerprint(machine);
  r.harness_version = kHarnessVersion;
  return r;
}

json ToJson(const MachineInfo& m) {
  return {{"host", m.host},
          {"cpu_model", m.cpu_model},
          {"cores", m.cores},
          {"kernel", m.kernel},
          {"compiler", m.compiler},
          {"build_flags", m.build_flags},
          {"lar_version", m.lar_version},
          {"git_describe", m.git_describe},
          {"highway_version", m.hwy_version},
          {"compiled_isas", m.compiled_isas},
          {"supported_isas", m.supported_isas},
          {"best_isa", m.best_isa},
          {"fingerprint", Fingerprint(m)},
          {"harness_version", kHarnessVersion}};
}

void to_json(json& j, const Mismatch& m) {
  j = {{"field", m.field},
       {"index", m.index},
       {"expected", m.expected},
       {"got", m.got},
       {"rule", m.rule}};
}

void from_json(const json& j, Mismatch& m) {
  m.field = j.value("field", "");
  m.index = j.value("index", size_t{0});
  m.expected = j.value("expected", "");
  m.got = j.value("got", "");
  m.rule = j.value("rule", "");
}

void to_json(json& j, const VerifyReport& v) {
  json failures = json::array();
  for (const VerifyFailure& f : v.failures) {
    failures.push_back(
        {{"isa", f.isa}, {"case", f.case_name}, {"seed", f.seed}, {"mismatch", f.mismatch}});
  }
  j = {{"target", v.target},
       {"isas", v.isas},
       {"seeds", v.seeds},
       {"cases", v.cases},
       {"failure_count", v.failure_count},
       {"failures", failures},
       {"passed", v.passed()}};
}

void from_json(const json& j, VerifyReport& v) {
  v.target = j.value("target", "");
  v.isas = j.value("isas", std::vector<std::string>{});
  v.seeds = j.value("seeds", std::vector<uint64_t>{});
  v.cases = j.value("cases", size_t{0});
  v.failure_count = j.value("failure_count", size_t{0});
  v.failures.clear();
  for (const json& f : j.value("failures", json::array())) {
    v.failures.push_back({f.value("isa", ""), f.value("case", ""), f.value("seed", uint64_t{0}),
                          f.at("mismatch").get<Mismatch>()});
  }
}

namespace {

json ComboJson(const ComboMeasurement& c) {
  // Samples travel unrounded: the block rounds what it prints, the
  // statistics of a merged or re-read record must see what was measured.
  json jc = {{"shape", c.shape},
             {"distribution", c.distribution},
             {"ops_per_sample", c.ops_per_sample},
             {"pairs", c.samples.base.size()},
             {"speedup", c.speedup},
             {"speedup_ci", IntervalJson(c.speedup_ci)},
             {"log_se", c.log_se},
             {"round_speedups", c.round_speedups},
             {"candidate_median_ns", c.cand_median_ns},
             {"candidate_low_ns", c.cand_low_ns},
             {"candidate_min_ns", c.cand_min_ns},
             {"reference_median_ns", c.ref_median_ns},
             {"reference_low_ns", c.ref_low_ns},
             {"bytes_per_op", c.bytes_per_op},
             {"ops_checked", c.ops_checked},
             {"samples",
              {{"reference_ns", c.samples.base},
               {"candidate_ns", c.samples.cand},
               {"candidate_first", c.samples.cand_first},
               {"round", c.sample_round}}}};
  if (c.cycles_per_op >= 0) {
    jc["cycles_per_op"] = c.cycles_per_op;
    jc["instructions_per_op"] = c.instructions_per_op;
  }
  if (!c.memcpy_ns.empty()) {
    jc["samples"]["memcpy_ns"] = c.memcpy_ns;
    jc["samples"]["memcpy_round"] = c.memcpy_round;
    jc["output_bytes_per_op"] = c.output_bytes_per_op;
    jc["memcpy_median_ns"] = c.memcpy_median_ns;
    jc["pct_of_memcpy"] = c.pct_of_memcpy;
  }
  if (!c.best_ns.empty()) {
    jc["samples"]["best_ns"] = c.best_ns;
    jc["vs_best"] = c.vs_best;
    jc["vs_best_ci"] = IntervalJson(c.vs_best_ci);
    jc["vs_best_log_se"] = c.vs_best_log_se;
    jc["round_vs_best"] = c.round_vs_best;
    jc["best_median_ns"] = c.best_median_ns;
  }
  return jc;
}

ComboMeasurement ComboFrom(const json& jc) {
  ComboMeasurement c;
  c.shape = jc.value("shape", "");
  c.distribution = jc.value("distribution", "");
  c.ops_per_sample = jc.value("ops_per_sample", size_t{0});
  c.speedup = jc.value("speedup", 0.0);
  if (jc.contains("speedup_ci")) c.speedup_ci = IntervalFrom(jc.at("speedup_ci"));
  c.log_se = jc.value("log_se", 0.0);
  c.round_speedups = jc.value("round_speedups", std::vector<double>{});
  c.cand_median_ns = jc.value("candidate_median_ns", 0.0);
  c.cand_low_ns = jc.value("candidate_low_ns", 0.0);
  c.cand_min_ns = jc.value("candidate_min_ns", 0.0);
  c.ref_median_ns = jc.value("reference_median_ns", 0.0);
  c.ref_low_ns = jc.value("reference_low_ns", 0.0);
  c.bytes_per_op = jc.value("bytes_per_op", 0.0);
  c.ops_checked = jc.value("ops_checked", uint64_t{0});
  c.cycles_per_op = jc.value("cycles_per_op", -1.0);
  c.instructions_per_op = jc.value("instructions_per_op", -1.0);
  if (jc.contains("samples")) {
    const json& s = jc.at("samples");
    c.samples.base = s.value("reference_ns", std::vector<double>{});
    c.samples.cand = s.value("candidate_ns", std::vector<double>{});
    c.samples.cand_first = s.value("candidate_first", std::vector<uint8_t>{});
    c.sample_round = s.value("round", std::vector<int>{});
    c.best_ns = s.value("best_ns", std::vector<double>{});
    c.memcpy_ns = s.value("memcpy_ns", std::vector<double>{});
    c.memcpy_round = s.value("memcpy_round", std::vector<int>{});
  }
  c.output_bytes_per_op = jc.value("output_bytes_per_op", 0.0);
  c.memcpy_median_ns = jc.value("memcpy_median_ns", 0.0);
  c.pct_of_memcpy = jc.value("pct_of_memcpy", 0.0);
  c.vs_best = jc.value("vs_best", 0.0);
  if (jc.contains("vs_best_ci")) c.vs_best_ci = IntervalFrom(jc.at("vs_best_ci"));
  c.vs_best_log_se = jc.value("vs_best_log_se", 0.0);
  c.round_vs_best = jc.value("round_vs_best", std::vector<double>{});
  c.best_median_ns = jc.value("best_median_ns", 0.0);
  return c;
}

}  // namespace

void to_json(json& j, const MeasureResult& m) {
  json combos = json::array();
  for (const ComboMeasurement& c : m.combos) combos.push_back(ComboJson(c));
  json estimators = json::object();
  for (const EstimatorSummary& e : m.estimators) {
    estimators[EstimatorName(e.estimator)] = {{"speedup", e.speedup}, {"ci", IntervalJson(e.ci)}};
  }
  j = {{"estimator", EstimatorName(m.estimator)},
       {"speedup", m.speedup},
       {"speedup_ci", IntervalJson(m.speedup_ci)},
       {"log_se", m.log_se},
       {"bootstrap_log_se", m.bootstrap_log_se},
       {"round_log_se", m.round_log_se},
       {"geomean_ns", m.geomean_ns},
       {"geomean_ns_ci", IntervalJson(m.geomean_ns_ci)},
       {"median_ns", m.median_ns},
       {"rounds", m.rounds},
       {"processes", m.processes},
       {"layouts", m.layouts},
       {"precision_reached", m.precision_reached},
       {"seconds", m.seconds},
       {"counters", m.counters_note.empty() ? "ok" : m.counters_note},
       {"estimators", estimators},
       {"combos", combos}};
  if (m.vs_best) {
    j["vs_best"] = {{"speedup", m.vs_best->speedup},
                    {"ci", IntervalJson(m.vs_best->ci)},
                    {"log_se", m.vs_best->log_se},
                    {"bootstrap_log_se", m.vs_best->bootstrap_log_se},
                    {"round_log_se", m.vs_best->round_log_se}};
  }
  if (m.memory_speed) {
    const MemcpyAnchor& a = *m.memory_speed;
    j["memory_speed"] = {{"combos", a.combos},
                         {"output_gbps", a.output_gbps},
                         {"io_gbps", a.io_gbps},
                         {"memcpy_gbps", a.memcpy_gbps},
                         {"pct_of_memcpy", a.pct_of_memcpy}};
  }
  if (m.mismatch) {
    j["mismatch"] = *m.mismatch;
    j["mismatch_combo"] = m.mismatch_combo;
  }
}

void from_json(const json& j, MeasureResult& m) {
  m = MeasureResult{};
  m.estimator = ParseEstimator(j.value("estimator", "")).value_or(kPrimaryEstimator);
  m.speedup = j.value("speedup", 0.0);
  if (j.contains("speedup_ci")) m.speedup_ci = IntervalFrom(j.at("speedup_ci"));
  m.log_se = j.value("log_se", 0.0);
  m.bootstrap_log_se = j.value("bootstrap_log_se", 0.0);
  m.round_log_se = j.value("round_log_se", 0.0);
  m.geomean_ns = j.value("geomean_ns", 0.0);
  if (j.contains("geomean_ns_ci")) m.geomean_ns_ci = IntervalFrom(j.at("geomean_ns_ci"));
  m.median_ns = j.value("median_ns", 0.0);
  m.rounds = j.value("rounds", 0);
  m.processes = j.value("processes", 1);
  m.layouts = j.value("layouts", m.rounds);
  m.precision_reached = j.value("precision_reached", false);
  m.seconds = j.value("seconds", 0.0);
  const std::string counters = j.value("counters", "");
  m.counters_note = counters == "ok" ? "" : counters;
  const json estimators = j.value("estimators", json::object());
  for (const auto& [name, e] : estimators.items()) {
    if (auto est = ParseEstimator(name)) {
      m.estimators.push_back({*est, e.value("speedup", 0.0), IntervalFrom(e.at("ci"))});
    }
  }
  for (const json& jc : j.value("combos", json::array())) m.combos.push_back(ComboFrom(jc));
  if (j.contains("vs_best")) {
    const json& b = j.at("vs_best");
    m.vs_best =
        Comparison{b.value("speedup", 0.0), IntervalFrom(b.at("ci")), b.value("log_se", 0.0),
                   b.value("bootstrap_log_se", 0.0), b.value("round_log_se", 0.0)};
  }
  if (j.contains("memory_speed")) {
    const json& a = j.at("memory_speed");
    m.memory_speed =
        MemcpyAnchor{a.value("combos", 0), a.value("output_gbps", 0.0), a.value("io_gbps", 0.0),
                     a.value("memcpy_gbps", 0.0), a.value("pct_of_memcpy", 0.0)};
  }
  if (j.contains("mismatch")) {
    m.mismatch = j.at("mismatch").get<Mismatch>();
    m.mismatch_combo = j.value("mismatch_combo", "");
  }
}

namespace {

json Num(double v) { return std::isnan(v) ? json(nullptr) : json(v); }
double NumFrom(const json& j, const char* key) {
  return j.contains(key) && j.at(key).is_number() ? j.at(key).get<double>() : NAN;
}
bool SameNum(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

}  // namespace

bool GateResult::operator==(const GateResult& o) const {
  return keep == o.keep && rule == o.rule && verdict == o.verdict && exit_code == o.exit_code &&
         comparison == o.comparison && decided_by_isa == o.decided_by_isa &&
         SameNum(gain, o.gain) && SameNum(gain_lower, o.gain_lower) &&
         SameNum(p_value, o.p_value) && SameNum(threshold, o.threshold) &&
         SameNum(worst_change, o.worst_change) && worst_combo == o.worst_combo &&
         SameNum(improvement_ns, o.improvement_ns) && SameNum(regression_ns, o.regression_ns);
}

void to_json(json& j, const GateResult& g) {
  j = {{"keep", ToString(g.keep)},
       {"rule", g.rule},
       {"verdict", g.verdict},
       {"exit_code", g.exit_code},
       {"comparison", g.comparison},
       {"decided_by_isa", g.decided_by_isa},
       {"gain", Num(g.gain)},
       {"gain_lower", Num(g.gain_lower)},
       {"p_value", Num(g.p_value)},
       {"threshold", Num(g.threshold)},
       {"worst_change", Num(g.worst_change)},
       {"worst_combo", g.worst_combo},
       {"improvement_ns", Num(g.improvement_ns)},
       {"regression_ns", Num(g.regression_ns)}};
}

void from_json(const json& j, GateResult& g) {
  g.keep = ParseKeep(j.value("keep", "")).value_or(Keep::kDiscard);
  g.rule = j.value("rule", "");
  g.verdict = j.value("verdict", "");
  g.exit_code = j.value("exit_code", 0);
  g.comparison = j.value("comparison", "");
  g.decided_by_isa = j.value("decided_by_isa", "");
  g.gain = NumFrom(j, "gain");
  g.gain_lower = NumFrom(j, "gain_lower");
  g.p_value = NumFrom(j, "p_value");
  g.threshold = NumFrom(j, "threshold");
  g.worst_change = NumFrom(j, "worst_change");
  g.worst_combo = j.value("worst_combo", "");
  g.improvement_ns = NumFrom(j, "improvement_ns");
  g.regression_ns = NumFrom(j, "regression_ns");
}

void to_json(json& j, const IsaRun& r) {
  j = {{"isa", r.isa}, {"noise_floor_pct", r.noise_floor_pct}, {"measurement", r.measure}};
}

void from_json(const json& j, IsaRun& r) {
  r.isa = j.value("isa", "");
  r.noise_floor_pct = j.value("noise_floor_pct", -1.0);
  r.measure =
      j.contains("measurement") ? j.at("measurement").get<MeasureResult>() : MeasureResult{};
}

void to_json(json& j, const TrialInfo& t) {
  j = {{"description", t.description},
       {"commit", t.commit},
       {"dirty", t.dirty},
       {"best_commit", t.best_commit},
       {"best_run_id", t.best_run_id},
       {"kernel_source", t.kernel_source},
       {"kernel_hash", t.kernel_hash},
       {"compared_in_loop", t.compared_in_loop},
       {"planted_delay_pct", t.planted_delay_pct},
       {"gate", t.gate}};
}

void from_json(const json& j, TrialInfo& t) {
  t.description = j.value("description", "");
  t.commit = j.value("commit", "");
  t.dirty = j.value("dirty", false);
  t.best_commit = j.value("best_commit", "");
  t.best_run_id = j.value("best_run_id", "");
  t.kernel_source = j.value("kernel_source", "");
  t.kernel_hash = j.value("kernel_hash", "");
  t.compared_in_loop = j.value("compared_in_loop", false);
  t.planted_delay_pct = j.value("planted_delay_pct", 0.0);
  t.gate = j.contains("gate") ? j.at("gate").get<GateResult>() : GateResult{};
}

void to_json(json& j, const RunRecord& r) {
  j = {{"run_id", r.run_id},
       {"command", r.command},
       {"target", r.target},
       {"family", r.family},
       {"unit", r.unit},
       {"timestamp", r.timestamp},
       {"fingerprint", r.fingerprint},
       {"harness_version", r.harness_version},
       {"isa", r.isa},
       {"isa_forced", r.isa_forced},
       {"correctness", ToString(r.correctness)},
       {"status", ToString(r.status)},
       {"failure", r.failure},
       {"noise_floor_pct", r.noise_floor_pct},
       {"noise_floor_source", r.noise_floor_source},
       {"peak_mem_mb", r.peak_mem_mb},
       {"total_seconds", r.total_seconds},
       {"measure_seed", r.measure_seed}};
  if (r.verify) j["verify"] = *r.verify;
  if (r.measure) j["measurement"] = *r.measure;
  if (!r.per_isa.empty()) j["per_isa"] = r.per_isa;
  if (!r.verdict.empty()) j["verdict"] = r.verdict;
  if (r.trial) j["trial"] = *r.trial;
}

void from_json(const json& j, RunRecord& r) {
  r = RunRecord{};
  r.run_id = j.value("run_id", "");
  r.command = j.value("command", "");
  r.target = j.value("target", "");
  r.family = j.value("family", "");
  r.unit = j.value("unit", "");
  r.timestamp = j.value("timestamp", "");
  r.fingerprint = j.value("fingerprint", "");
  r.harness_version = j.value("harness_version", 0);
  r.isa = j.value("isa", "");
  r.isa_forced = j.value("isa_forced", false);
  r.correctness = ParseCorrectness(j.value("correctness", "")).value_or(Correctness::kNotRun);
  r.status = ParseRunStatus(j.value("status", "")).value_or(RunStatus::kOk);
  r.failure = j.value("failure", "");
  r.noise_floor_pct = j.value("noise_floor_pct", -1.0);
  r.noise_floor_source = j.value("noise_floor_source", "");
  r.peak_mem_mb = j.value("peak_mem_mb", 0.0);
  r.total_seconds = j.value("total_seconds", 0.0);
  r.measure_seed = j.value("measure_seed", uint64_t{0});
  if (j.contains("verify")) r.verify = j.at("verify").get<VerifyReport>();
  if (j.contains("measurement")) r.measure = j.at("measurement").get<MeasureResult>();
  if (j.contains("per_isa")) r.per_isa = j.at("per_isa").get<std::vector<IsaRun>>();
  r.verdict = j.value("verdict", "");
  if (j.contains("trial") && j.at("trial").is_object()) r.trial = j.at("trial").get<TrialInfo>();
}

namespace {

template <typename E, size_t N>
std::optional<E> ParseName(const std::string& s, const char* const (&names)[N]) {
  for (size_t i = 0; i < N; ++i) {
    if (s == names[i]) return static_cast<E>(i);
  }
  return std::nullopt;
}

constexpr const char* kCorrectnessNames[] = {"pass", "fail", "crash", "timeout", "not run"};
constexpr const char* kStatusNames[] = {"ok", "fail", "crash", "timeout", "invalid"};
constexpr const char* kKeepNames[] = {"baseline", "keep", "discard", "crash", "timeout", "invalid"};

}  // namespace

const char* ToString(Correctness c) { return kCorrectnessNames[static_cast<int>(c)]; }
const char* ToString(RunStatus s) { return kStatusNames[static_cast<int>(s)]; }
const char* ToString(Keep k) { return kKeepNames[static_cast<int>(k)]; }
std::optional<Correctness> ParseCorrectness(const std::string& s) {
  return ParseName<Correctness>(s, kCorrectnessNames);
}
std::optional<RunStatus> ParseRunStatus(const std::string& s) {
  return ParseName<RunStatus>(s, kStatusNames);
}
std::optional<Keep> ParseKeep(const std::string& s) { return ParseName<Keep>(s, kKeepNames); }

void ApplyPhaseStatus(PhaseStatus status, const std::string& failure, RunRecord* r) {
  switch (status) {
    case PhaseStatus::kOk:
      r->correctness = Correctness::kPass;
      r->status = RunStatus::kOk;
      return;
    case PhaseStatus::kFailed:
      r->correctness = Correctness::kFail;
      r->status = RunStatus::kFail;
      break;
    case PhaseStatus::kCrashed:
      r->correctness = Correctness::kCrash;
      r->status = RunStatus::kCrash;
      break;
    case PhaseStatus::kTimedOut:
      r->correctness = Correctness::kTimeout;
      r->status = RunStatus::kTimeout;
      break;
  }
  r->failure = failure;
}

json MakeDocument(const MachineInfo& machine, const std::vector<RunRecord>& runs) {
  json context = ToJson(machine);
  context["date"] = IsoTimestamp();
  json jruns = json::array();
  for (const RunRecord& r : runs) jruns.push_back(ToJson(r));
  return {{"schema_version", kSchemaVersion}, {"context", context}, {"runs", jruns}};
}

namespace {

// The block's measurement part, in order: what was timed, its figures,
// the comparison and precision, then per combo and per ISA.
std::string MeasuredSummary(const MeasureResult& m, const std::string& unit) {
  std::string out;
  out += Line("passes", std::to_string(m.layouts));
  std::vector<std::string> shapes, dists;
  for (const ComboMeasurement& c : m.combos) {
    if (std::find(shapes.begin(), shapes.end(), c.shape) == shapes.end()) {
      shapes.push_back(c.shape);
    }
    if (std::find(dists.begin(), dists.end(), c.distribution) == dists.end()) {
      dists.push_back(c.distribution);
    }
  }
  std::string s, d;
  for (const std::string& x : shapes) s += (s.empty() ? "" : " ") + x;
  for (const std::string& x : dists) d += (d.empty() ? "" : " ") + x;
  out += Line("shapes_tested", s);
  out += Line("distributions_tested", d);
  out += Line("geomean_ns_per_" + unit, Ns(m.geomean_ns));
  out += Line("geomean_ns_ci_90pct",
              "[" + Ns(m.geomean_ns_ci.lo) + ", " + Ns(m.geomean_ns_ci.hi) + "]");
  out += Line("median_ns_per_" + unit, Ns(m.median_ns));
  bool have_cycles = true;
  std::vector<double> cycles;
  for (const ComboMeasurement& c : m.combos) {
    if (c.cycles_per_op < 0) have_cycles = false;
    cycles.push_back(c.cycles_per_op);
  }
  out += Line("geomean_cycles_per_" + unit,
              have_cycles
                  ? Fixed(Geomean(cycles), 0)
                  : "n/a (" +
                        (m.counters_note.empty() ? std::string("no counters") : m.counters_note) +
                        ")");
  out += Line("speedup_vs_reference", Fixed(m.speedup, 3));
  out += Line("speedup_ci_90pct",
              "[" + Fixed(m.speedup_ci.lo, 3) + ", " + Fixed(m.speedup_ci.hi, 3) + "]");
  return out;
}

std::string MeasuredComparisons(const RunRecord& r, const MeasureResult& m) {
  std::string out;
  if (m.memory_speed) {
    const MemcpyAnchor& a = *m.memory_speed;
    out += Line("output_gb_per_s", Fixed(a.output_gbps, 2) + "  (geomean over " +
                                       std::to_string(a.combos) + " combos; memcpy " +
                                       Fixed(a.memcpy_gbps, 2) + ")");
    out += Line("in_out_gb_per_s", Fixed(a.io_gbps, 2));
    out += Line("pct_of_memcpy", Fixed(a.pct_of_memcpy, 1));
  }
  if (m.vs_best) {
    const std::string best = r.trial ? r.trial->best_commit : "";
    out += Line("speedup_vs_best",
                Fixed(m.vs_best->speedup, 4) + "  [" + Fixed(m.vs_best->ci.lo, 4) + ", " +
                    Fixed(m.vs_best->ci.hi, 4) + "]  (best " +
                    (best.empty() ? "kept kernel" : best) + " timed in the same loop)");
  }
  out +=
      Line("estimator", std::string(EstimatorName(m.estimator)) + " over " +
                            std::to_string(m.processes) + " processes" +
                            (m.rounds < m.processes
                                 ? " (" + std::to_string(m.rounds) + " pairs, one slot-swapped)"
                                 : "") +
                            ", " + std::to_string(m.layouts) + " memory layouts; precision " +
                            (m.precision_reached ? "reached" : "NOT reached, unstable") + ": +/-" +
                            Fixed(100.0 * HalfWidth(m.speedup, m.speedup_ci), 2) + "%");
  std::string floor =
      r.noise_floor_pct >= 0 ? Fixed(r.noise_floor_pct, 2) : "n/a (run lar calibrate)";
  if (r.noise_floor_pct >= 0 && !r.noise_floor_source.empty()) {
    floor += "  (" + r.noise_floor_source + ")";
  }
  out += Line("noise_floor_pct", floor);
  return out;
}

std::string MeasuredCombos(const RunRecord& r, const MeasureResult& m, const std::string& unit) {
  std::string out;
  const auto worst = std::max_element(
      m.combos.begin(), m.combos.end(),
      [](const auto& a, const auto& b) { return a.cand_median_ns < b.cand_median_ns; });
  const auto best = std::min_element(
      m.combos.begin(), m.combos.end(),
      [](const auto& a, const auto& b) { return a.cand_median_ns < b.cand_median_ns; });
  out += Line("worst_ns_per_" + unit,
              Ns(worst->cand_median_ns) + " (" + worst->shape + ", " + worst->distribution + ")");
  out += Line("best_ns_per_" + unit,
              Ns(best->cand_median_ns) + " (" + best->shape + ", " + best->distribution + ")");
  out += "per_combo_geomean_ns:\n";
  size_t width = 0;
  for (const ComboMeasurement& c : m.combos) width = std::max(width, ComboName(c).size());
  for (const ComboMeasurement& c : m.combos) {
    std::string name = ComboName(c);
    name.resize(width, ' ');
    std::string line = "  " + name + " -> " + Ns(c.cand_median_ns) + " ns  x" +
                       Fixed(c.speedup, 2) + " [" + Fixed(c.speedup_ci.lo, 2) + ", " +
                       Fixed(c.speedup_ci.hi, 2) + "]";
    if (c.bytes_per_op > 0 && c.cand_median_ns > 0) {
      line += "  " + Fixed(c.bytes_per_op / c.cand_median_ns, 1) + " GB/s";
    }
    if (c.pct_of_memcpy > 0 && c.cand_median_ns > 0) {
      line += " (out " + Fixed(c.output_bytes_per_op / c.cand_median_ns, 1) + " GB/s, " +
              Fixed(c.pct_of_memcpy, 0) + "% of memcpy)";
    }
    if (!c.best_ns.empty()) {
      line += "  vs best x" + Fixed(c.vs_best, 3);
    }
    out += line + "\n";
  }
  for (const IsaRun& run : r.per_isa) {
    const MeasureResult& x = run.measure;
    std::string line = Fixed(x.speedup, 3) + " [" + Fixed(x.speedup_ci.lo, 3) + ", " +
                       Fixed(x.speedup_ci.hi, 3) + "] vs reference";
    if (x.vs_best) {
      line += ", vs best " + Fixed(x.vs_best->speedup, 4) + " [" + Fixed(x.vs_best->ci.lo, 4) +
              ", " + Fixed(x.vs_best->ci.hi, 4) + "]";
    }
    out += Line("speedup_at_" + run.isa, line);
  }
  return out;
}

}  // namespace

std::string FormatBlock(const RunRecord& r) {
  const std::string unit = r.unit.empty() ? "op" : r.unit;
  std::string out = "---\n";
  out += Line("target", r.target);
  out += Line("correctness", ToString(r.correctness));
  std::string isa = r.isa;
  if (r.verify && !r.verify->isas.empty()) {
    std::string list;
    for (const std::string& v : r.verify->isas) list += (list.empty() ? "" : " ") + v;
    std::string seeds;
    for (uint64_t sd : r.verify->seeds) seeds += (seeds.empty() ? "" : " + ") + std::to_string(sd);
    isa += "  (verified: " + list + "; battery seeds " + seeds + ")";
  } else if (r.measure) {
    isa += "  (verified: timed outputs only; lar verify runs the battery)";
  }
  out += Line("isa", isa);
  if (r.measure && !r.measure->combos.empty()) {
    const MeasureResult& m = *r.measure;
    out += MeasuredSummary(m, unit);
    out += MeasuredComparisons(r, m);
    out += MeasuredCombos(r, m, unit);
    uint64_t checked = 0;
    for (const ComboMeasurement& c : m.combos) checked += c.ops_checked;
    out += Line("timed_outputs_checked", std::to_string(checked));
  }
  out += Line("peak_mem_mb", Fixed(r.peak_mem_mb, 1));
  out += Line("total_seconds", Fixed(r.total_seconds, 1));
  if (!r.failure.empty()) out += Line("failure", r.failure);
  out +=
      Line("verdict", r.verdict.empty() ? "n/a (bench only; lar trial decides keep)" : r.verdict);
  return out;
}

}  // namespace lar
