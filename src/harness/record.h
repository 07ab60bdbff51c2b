// The record of one run (bench, trial or calibrate): what the block prints,
// what --json writes, and what the gate and the report read back.
#ifndef LAR_HARNESS_RECORD_H_
#define LAR_HARNESS_RECORD_H_

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/measure.h"
#include "harness/sysinfo.h"
#include "harness/target.h"
#include "harness/verify.h"

namespace lar {

// Version of the JSON documents lar writes (docs/json-schema.md).
inline constexpr int kSchemaVersion = 1;

// What the correctness checks found (the record's `correctness`).
enum class Correctness { kPass, kFail, kCrash, kTimeout, kNotRun };
// How the run ended (the record's `status`).
enum class RunStatus { kOk, kFail, kCrash, kTimeout, kInvalid };
// The gate's decision: the `keep` column of results.tsv.
enum class Keep { kBaseline, kKeep, kDiscard, kCrash, kTimeout, kInvalid };

// Text of each value, as records and results.tsv spell it.
const char* ToString(Correctness c);
const char* ToString(RunStatus s);
const char* ToString(Keep k);
std::optional<Correctness> ParseCorrectness(const std::string& s);
std::optional<RunStatus> ParseRunStatus(const std::string& s);
std::optional<Keep> ParseKeep(const std::string& s);

// The keep gate's decision and the numbers behind it (harness/gate.h).
struct GateResult {
  Keep keep = Keep::kDiscard;
  std::string rule;     // which rule decided: crash, timeout, correctness,
                        // edit-scope, baseline, significance, worst-combo,
                        // trade-off, isa-regression, all
  std::string verdict;  // the one-line verdict with its numbers
  int exit_code = 0;
  // Which comparison decided: "in-loop" (the best timed in the same loop),
  // "records" (the best's recorded run), "" when none was made.
  std::string comparison;
  // The ISA whose figures decided ("" for the timed ISA's usual rules).
  std::string decided_by_isa;
  // The numbers behind a comparison with a best (NaN when not compared).
  double gain = NAN;        // speed-up ratio - 1
  double gain_lower = NAN;  // one-sided 95% lower bound of the gain
  double p_value = NAN;     // one-sided, H0: no gain
  double threshold = NAN;   // the keep minimum (gate.h KeepMinimum)
  double worst_change = NAN;
  std::string worst_combo;
  double improvement_ns = NAN;  // trade-off rule, in the best's reference ns
  double regression_ns = NAN;
  // NaN fields compare equal to NaN: a round trip keeps "not compared".
  bool operator==(const GateResult& o) const;
};

// One more ISA timed in the same run (lar trial/bench --isas): the
// candidate, the reference and (in a trial) the best kept kernel, forced to
// this ISA.
struct IsaRun {
  std::string isa;
  MeasureResult measure;
  double noise_floor_pct = -1.0;  // this ISA's floor, < 0: not calibrated
  bool operator==(const IsaRun&) const = default;
};

// What a trial adds to its record (absent in bench and calibrate runs).
struct TrialInfo {
  std::string description;  // the -m text
  std::string commit;       // full hash of HEAD ("" outside git)
  bool dirty = false;
  std::string best_commit;  // how the verdict names the best
  std::string best_run_id;
  std::string kernel_source;  // the kernels.cc this trial ran
  std::string kernel_hash;
  bool compared_in_loop = false;
  double planted_delay_pct = 0.0;  // lar trial --plant-delay (testing)
  GateResult gate;
  bool operator==(const TrialInfo&) const = default;
};

struct RunRecord {
  std::string run_id;
  std::string command;  // bench | trial | calibrate
  std::string target;
  std::string family;
  std::string unit;  // "query": fields read geomean_ns_per_query
  std::string timestamp;
  std::string fingerprint;
  int harness_version = 0;
  std::string isa;  // the ISA that was timed
  bool isa_forced = false;
  Correctness correctness = Correctness::kNotRun;
  RunStatus status = RunStatus::kOk;
  std::string failure;  // one line when status is not ok
  std::optional<VerifyReport> verify;
  std::optional<MeasureResult> measure;
  // --isas: the other named ISAs, each timed as `measure` was (the timed
  // ISA itself is `isa` and `measure`).
  std::vector<IsaRun> per_isa;
  double noise_floor_pct = -1.0;  // < 0: not calibrated
  // Where the floor came from: which A/A measurement, when, and why it
  // differs from the best's, for the block.
  std::string noise_floor_source;
  double peak_mem_mb = 0.0;
  double total_seconds = 0.0;
  uint64_t measure_seed = 0;
  std::string verdict;  // trial: the gate's line
  std::optional<TrialInfo> trial;
  bool operator==(const RunRecord&) const = default;
};

// The end of a verify or bench phase, as the record states it: status,
// correctness and the failure line. One place maps a phase onto a record.
enum class PhaseStatus { kOk, kFailed, kCrashed, kTimedOut };
void ApplyPhaseStatus(PhaseStatus status, const std::string& failure, RunRecord* r);

std::string NewRunId(const std::string& target);

// A record with identity fields filled: run id, command, target, timestamp,
// fingerprint, harness version.
RunRecord NewRecord(const Target& target, const MachineInfo& machine, const std::string& command);

nlohmann::json ToJson(const MachineInfo& m);

// nlohmann/json conversions (found by argument-dependent lookup, so
// `json j = record;` and `j.get<RunRecord>()` work). Readers accept missing
// fields (older records) with their defaults.
void to_json(nlohmann::json& j, const Mismatch& m);
void from_json(const nlohmann::json& j, Mismatch& m);
void to_json(nlohmann::json& j, const VerifyReport& v);
void from_json(const nlohmann::json& j, VerifyReport& v);
void to_json(nlohmann::json& j, const MeasureResult& m);
void from_json(const nlohmann::json& j, MeasureResult& m);
void to_json(nlohmann::json& j, const GateResult& g);
void from_json(const nlohmann::json& j, GateResult& g);
void to_json(nlohmann::json& j, const IsaRun& r);
void from_json(const nlohmann::json& j, IsaRun& r);
void to_json(nlohmann::json& j, const TrialInfo& t);
void from_json(const nlohmann::json& j, TrialInfo& t);
void to_json(nlohmann::json& j, const RunRecord& r);
void from_json(const nlohmann::json& j, RunRecord& r);

// Shorthands of the conversions above.
inline nlohmann::json ToJson(const VerifyReport& v) { return v; }
inline VerifyReport VerifyReportFromJson(const nlohmann::json& j) { return j.get<VerifyReport>(); }
inline nlohmann::json ToJson(const MeasureResult& m) { return m; }
inline MeasureResult MeasureResultFromJson(const nlohmann::json& j) {
  return j.get<MeasureResult>();
}
inline nlohmann::json ToJson(const RunRecord& r) { return r; }
inline RunRecord RunRecordFromJson(const nlohmann::json& j) { return j.get<RunRecord>(); }

// {"schema_version", "context", "runs"}.
nlohmann::json MakeDocument(const MachineInfo& machine, const std::vector<RunRecord>& runs);

// The fixed-format block ("---" through "verdict:"; HARNESS.md "Reading the block").
std::string FormatBlock(const RunRecord& r);

// --isas in one field: "AVX2 x1.523 best x0.998, SSE4 x1.201 best x1.001"
// (speed-up vs the reference, and vs the best when it was timed); "" when
// no other ISA was timed.
std::string PerIsaSummary(const RunRecord& r);

// "(128,16,256) clustered"
std::string ComboName(const ComboMeasurement& c);

}  // namespace lar

#endif  // LAR_HARNESS_RECORD_H_
