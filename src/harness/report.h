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
  double change = 0.0;  // best / baseline - 1
};

// One kept trial after the baseline, with the gain the gate decided on.
struct Step {
  const ResultRow* row = nullptr;
  // From the trial's record: its gain over the best it was gated against,
  // measured in the same loop ("in-loop") or between recorded runs
  // ("records"); NaN and "" when the record is missing.
  double gain = NAN;
  double gain_lower = NAN;  // one-sided 95% lower bound
  std::string comparison;
  // Ratio of this row's recorded speed-up to the previous kept row's, - 1:
  // two separate runs, so machine drift between them is in it.
  double cross_run = NAN;
};

struct TargetReport {
  std::string machine;
  std::string target;
  std::string isa;
  std::vector<const ResultRow*> rows;      // every trial, in file order
  const ResultRow* baseline = nullptr;     // start of the current frontier
  const ResultRow* best = nullptr;         // the latest kept trial (the gate's best)
  std::vector<const ResultRow*> frontier;  // kept trials in order
  std::map<std::string, int> counts;       // by keep value
  std::vector<Step> steps;                 // the keeps after the baseline
  // Best vs baseline from their recorded speed-ups (a cross-run figure),
  // and its 90% CI.
  double gain = NAN;
  double gain_lo = NAN;
  double gain_hi = NAN;
  // The product of the steps' in-loop gains, - 1: what the gate measured;
  // NaN unless every step has its record.
  double compounded_gain = NAN;
  std::vector<ComboDelta> combo_deltas;               // empty when records are missing
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
