// lar: evolve Lance's hot-path kernels with evidence. Parses the command
// line and hands each subcommand its options; usage errors become one line.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "harness/isa.h"
#include "harness/version.h"

int main(int argc, char** argv) {
  using namespace lar;
  CLI::App app{
      "lar: a research harness for Lance's hot-path kernels. An agent edits "
      "targets/<id>/kernels.cc; lar says whether it is still correct and "
      "really faster.\nExit codes: 0 ok/keep/baseline, 1 discard, 2 "
      "correctness, 3 budget/timeout, 4 crash, 5 edit outside kernels.cc, "
      "64 usage error.",
      "lar"};
  app.set_version_flag("--version",
                       std::string(Version()) + " (" + GitDescribe() + "); " + DescribeIsas());
  app.require_subcommand(1);

  ListOptions list;
  VerifyOptions verify;
  BenchOptions bench;
  TrialOptions trial;
  trial.argv.assign(argv, argv + argc);
  ReportOptions report;
  CalibrateOptions calibrate;
  GateOptions gate;
  NewOptions new_target;
  CLI::App* list_cmd = AddList(app, list);
  CLI::App* verify_cmd = AddVerify(app, verify);
  CLI::App* bench_cmd = AddBench(app, bench);
  CLI::App* trial_cmd = AddTrial(app, trial);
  CLI::App* report_cmd = AddReport(app, report);
  CLI::App* calibrate_cmd = AddCalibrate(app, calibrate);
  CLI::App* gate_cmd = AddGate(app, gate);
  CLI::App* new_cmd = AddNew(app, new_target);

  bool known = argc < 2 || argv[1][0] == '-';
  std::string names;
  for (const CLI::App* sub : app.get_subcommands({})) {
    names += (names.empty() ? "" : ", ") + sub->get_name();
    known = known || sub->get_name() == argv[1];
  }
  if (!known) {
    std::fprintf(stderr, "lar: unknown command '%s'; commands: %s (see 'lar --help')\n", argv[1],
                 names.c_str());
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::string what = e.what();
    if (what.empty()) what = e.get_name();
    std::fprintf(stderr, "lar: %s (see 'lar --help')\n", what.c_str());
    return kExitUsage;
  }
  try {
    if (list_cmd->parsed()) return RunList(list);
    if (verify_cmd->parsed()) return RunVerify(verify);
    if (bench_cmd->parsed()) return RunBench(bench);
    if (trial_cmd->parsed()) return RunTrial(trial);
    if (report_cmd->parsed()) return RunReport(report);
    if (calibrate_cmd->parsed()) return RunCalibrate(calibrate);
    if (gate_cmd->parsed()) return RunGate(gate);
    if (new_cmd->parsed()) return RunNew(new_target);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "lar: %s\n", e.what());
    return kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lar: error: %s\n", e.what());
    return 70;
  }
  return kExitUsage;
}
