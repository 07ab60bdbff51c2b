// The record of one run (bench, trial or calibrate): what the block prints,
// what --json writes, and what the gate and the report read back.
#ifndef LAR_HARNESS_RECORD_H_
#define LAR_HARNESS_RECORD_H_

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

struct RunRecord {
  std::string run_id;
  std::string command;    // bench | trial | calibrate
  std::string target;
  std::string family;
  std::string unit;       // "query": fields read geomean_ns_per_query
  std::string timestamp;
  std::string fingerprint;
  int harness_version = 0;
  std::string isa;        // the ISA that was timed
  bool isa_forced = false;
  // pass | fail | crash | timeout | not run
  std::string correctness = "not run";
  // ok | fail | crash | timeout | invalid (set by the command)
  std::string status = "ok";
  std::string failure;    // one line when status is not ok
  std::optional<VerifyReport> verify;
  std::optional<MeasureResult> measure;
  double noise_floor_pct = -1.0;  // < 0: not calibrated
  double peak_mem_mb = 0.0;
  double total_seconds = 0.0;
  uint64_t measure_seed = 0;
  std::string verdict;            // trial: the gate's line
  nlohmann::json trial;           // trial: commit, description, gate detail
};

std::string NewRunId(const std::string& target);

// A record with identity fields filled: run id, command, target, timestamp,
// fingerprint, harness version.
RunRecord NewRecord(const Target& target, const MachineInfo& machine,
                    const std::string& command);

nlohmann::json ToJson(const MachineInfo& m);
nlohmann::json ToJson(const VerifyReport& v);
VerifyReport VerifyReportFromJson(const nlohmann::json& j);
nlohmann::json ToJson(const MeasureResult& m);
MeasureResult MeasureResultFromJson(const nlohmann::json& j);
nlohmann::json ToJson(const RunRecord& r);
RunRecord RunRecordFromJson(const nlohmann::json& j);

// {"schema_version", "context", "runs"}.
nlohmann::json MakeDocument(const MachineInfo& machine,
                            const std::vector<RunRecord>& runs);

// The fixed-format block of SPEC s3 ("---" through "verdict:").
std::string FormatBlock(const RunRecord& r);

// "(128,16,256) clustered"
std::string ComboName(const ComboMeasurement& c);

}  // namespace lar

#endif  // LAR_HARNESS_RECORD_H_
