// results.tsv (one row per trial, append-only) and the full run records in
// .lar/runs/ beside it. Appends are atomic under a lock; nothing is ever
// rewritten or truncated; malformed rows are reported with their line
// number and skipped.
#ifndef LAR_HARNESS_RESULTS_H_
#define LAR_HARNESS_RESULTS_H_

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "harness/record.h"

namespace lar {

// The Rust workspace's 14 columns first (agent prompts parse them), then
// lar's; new columns only ever go at the end, so a file written before
// them still reads. Absent numbers are written "-".
inline constexpr const char* kResultColumns[] = {
    "commit",        "timestamp",   "correctness", "geomean_ns", "ci_lo",         "ci_hi",
    "worst_ns",      "worst_combo", "best_ns",     "best_combo", "peak_mem_mb",   "total_seconds",
    "keep",          "description", "target",      "isa",        "speedup",       "speedup_ci_lo",
    "speedup_ci_hi", "machine",     "run_id",      "dirty",      "pct_of_memcpy", "per_isa"};

// Values of the `keep` column.
inline constexpr const char* kKeepValues[] = {"baseline", "keep",    "discard",
                                              "crash",    "timeout", "invalid"};

struct ResultRow {
  std::string file;  // where it was read from
  size_t line = 0;   // 1-based line number in that file
  std::string commit, timestamp, correctness;
  double geomean_ns = NAN, ci_lo = NAN, ci_hi = NAN, worst_ns = NAN;
  std::string worst_combo;
  double best_ns = NAN;
  std::string best_combo;
  double peak_mem_mb = NAN, total_seconds = NAN;
  std::string keep, description, target, isa;
  double speedup = NAN, speedup_ci_lo = NAN, speedup_ci_hi = NAN;
  std::string machine, run_id;
  bool dirty = false;
  std::string per_isa;         // --isas: PerIsaSummary of the record ("-" if none)
  double pct_of_memcpy = NAN;  // decode targets' memory-speed anchor

  bool kept() const { return keep == "keep" || keep == "baseline"; }
};

struct ResultsFile {
  std::vector<ResultRow> rows;
  std::vector<std::string> warnings;  // "results.tsv:17: ..."
};

// A missing file reads as empty (no warning).
ResultsFile ReadResults(const std::string& path);
std::string ResultsHeader();
std::string FormatRow(const ResultRow& row);
// Appends one row (and the header first if the file is new or empty) with
// one write under an exclusive flock, then fsyncs. Throws on I/O errors.
void AppendRow(const std::string& path, const ResultRow& row);

// .lar/ beside the results file; run records in .lar/runs/<run_id>.json.
std::string StateDir(const std::string& results_path);
std::string RunRecordPath(const std::string& results_path, const std::string& run_id);
// Writes the record (temporary file + rename).
void WriteRunRecord(const std::string& results_path, const RunRecord& record,
                    const MachineInfo& machine);
// The record of `run_id`, or nullopt with a warning naming the problem.
// `context`, when given, receives the document's context block.
std::optional<RunRecord> ReadRunRecord(const std::string& results_path, const std::string& run_id,
                                       std::string* warning, nlohmann::json* context = nullptr);

// The TSV row of a finished run.
ResultRow RowFromRecord(const RunRecord& r, const std::string& keep, const std::string& commit,
                        bool dirty, const std::string& description);

}  // namespace lar

#endif  // LAR_HARNESS_RESULTS_H_
