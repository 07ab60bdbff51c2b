// lar report: what the trials of one or several results files add up to.
#include <cstdio>
#include <filesystem>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "harness/report.h"
#include "harness/results.h"

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
  CLI::Option* json = cmd->add_flag("--json", o.json, "Print JSON instead of text");
  cmd->add_flag("--markdown", o.markdown, "Print the PR block instead of text")->excludes(json);
  // Without a FILE the chart goes under .lar/ beside the first results
  // file: never into the checkout, where a stray file could look like an
  // edit to a later trial's scope check.
  CLI::Option* svg =
      cmd->add_option("--svg", o.svg_path,
                      "Also write the progress chart to FILE (default .lar/progress.svg beside "
                      "the results file)")
          ->expected(0, 1);
  cmd->callback([svg, &o] { o.svg_requested = svg->count() > 0; });
  cmd->add_option("--recent", o.recent, "How many recent trials to list (default 5)");
  return cmd;
}

int RunReport(const ReportOptions& o) {
  std::vector<std::string> files = o.files;
  if (files.empty()) files.push_back("results.tsv");
  if (!o.target.empty()) ResolveTarget(o.target);
  std::string svg_path = o.svg_path;
  if (o.svg_requested && svg_path.empty()) {
    svg_path = (std::filesystem::path(StateDir(files.front())) / "progress.svg").string();
    std::filesystem::create_directories(StateDir(files.front()));
  }
  if (!svg_path.empty()) CheckWritable(svg_path, "--svg");
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
  if (!svg_path.empty()) {
    WriteFileAtomically(svg_path, RenderReportSvg(report));
    std::fprintf(stderr, "lar: wrote %s\n", svg_path.c_str());
  }
  return 0;
}

}  // namespace lar
