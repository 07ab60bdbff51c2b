// lar report: results files (from one or several machines) grouped by
// machine, target and ISA; baseline, best, frontier of kept trials, counts,
// recent trials, per-combo deltas; written as text, JSON, Markdown (for an
// upstream Lance PR) or an SVG progress chart (svg.cc).
#ifndef LAR_HARNESS_REPORT_H_
#define LAR_HARNESS_REPORT_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/results.h"

namespace lar {

struct ComboDelta {
  std::string combo;
  double baseline = 0.0;  // speed-up vs reference
  double best = 0.0;
  double change = 0.0;    // best / baseline - 1
};

struct TargetReport {
  std::string machine;
  std::string target;
  std::string isa;
  std::vector<const ResultRow*> rows;      // every trial, in file order
  const ResultRow* baseline = nullptr;     // start of the current frontier
  const ResultRow* best = nullptr;         // best kept trial
  std::vector<const ResultRow*> frontier;  // kept trials in order
  std::map<std::string, int> counts;       // by keep value
  double gain = NAN;                       // best vs baseline, and 90% CI
  double gain_lo = NAN;
  double gain_hi = NAN;
  std::vector<ComboDelta> combo_deltas;    // empty when records are missing
  nlohmann::json context = nlohmann::json::object();  // the best's machine
  std::optional<RunRecord> best_record;
};

struct Report {
  std::vector<ResultsFile> files;  // owns the rows
  std::vector<TargetReport> groups;
  std::vector<std::string> warnings;
};

// Reads every file and groups the rows; `target` filters when not empty.
// Missing files are an error (thrown), malformed rows warnings.
Report BuildReport(const std::vector<std::string>& paths, const std::string& target);

std::string FormatReportText(const Report& r, size_t recent);
nlohmann::json ReportJson(const Report& r, size_t recent);
std::string FormatReportMarkdown(const Report& r);
// One progress chart per group, stacked: x = trial number, y = speed-up vs
// reference; kept trials joined by the running-best step line, tagged with
// their trial number and listed under the plot; a legend of every mark used.
std::string RenderReportSvg(const Report& r);

}  // namespace lar

#endif  // LAR_HARNESS_REPORT_H_
