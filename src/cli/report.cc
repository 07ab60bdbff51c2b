// lar report: what the trials of one or several results files add up to.
#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "harness/report.h"

namespace lar {

CLI::App* AddReport(CLI::App& app, ReportOptions& o) {
  CLI::App* cmd =
      app.add_subcommand("report",
                         "Summarize results files per machine and target: baseline, best kept "
                         "trial and its gain with CI, the frontier of kept trials, counts, recent "
                         "trials, per-combo deltas; --svg draws the progress chart, --markdown "
                         "writes a block for an upstream Lance PR");
  cmd->add_option("files", o.files, "Results files (default: results.tsv)");
  cmd->add_option("--target", o.target, "Only this target");
  cmd->add_flag("--json", o.json, "Print JSON instead of text");
  cmd->add_flag("--markdown", o.markdown, "Print the PR block instead of text");
  cmd->add_option("--svg", o.svg_path, "Also write the progress chart to FILE");
  cmd->add_option("--recent", o.recent, "How many recent trials to list (default 5)");
  return cmd;
}

int RunReport(const ReportOptions& o) {
  if (o.json && o.markdown) throw UsageError("choose one of --json and --markdown");
  std::vector<std::string> files = o.files;
  if (files.empty()) files.push_back("results.tsv");
  if (!o.target.empty()) ResolveTarget(o.target);
  if (!o.svg_path.empty()) CheckWritable(o.svg_path, "--svg");
  Report report;
  try {
    report = BuildReport(files, o.target);
  } catch (const std::runtime_error& e) {
    throw UsageError(e.what());
  }
  for (const std::string& w : report.warnings) {
    std::fprintf(stderr, "lar: warning: %s\n", w.c_str());
  }
  if (o.json) {
    std::printf("%s\n", ReportJson(report, o.recent).dump(2).c_str());
  } else if (o.markdown) {
    std::fputs(FormatReportMarkdown(report).c_str(), stdout);
  } else {
    std::fputs(FormatReportText(report, o.recent).c_str(), stdout);
  }
  if (!o.svg_path.empty()) {
    WriteFileAtomically(o.svg_path, RenderReportSvg(report));
    std::fprintf(stderr, "lar: wrote %s\n", o.svg_path.c_str());
  }
  return 0;
}

}  // namespace lar
