// lar gate: the keep gate applied to two recorded runs (a bench --json
// document or a .lar/runs record each), for auditing a verdict.
#include <cstdio>
#include <fstream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "harness/gate.h"
#include "harness/record.h"

namespace lar {
namespace {

RunRecord Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UsageError("cannot read " + path + "; give a JSON written by lar bench --json or a .lar/runs record");
  try {
    const nlohmann::json doc = nlohmann::json::parse(in);
    RunRecord r = RunRecordFromJson(doc.at("runs").at(0));
    if (!r.measure || r.measure->combos.empty()) {
      throw UsageError(path + " holds no measurement (status " + r.status +
                       "); give a run that benched");
    }
    return r;
  } catch (const nlohmann::json::exception& e) {
    throw UsageError(path + " is not a lar run document (" + e.what() + ")");
  }
}

}  // namespace

CLI::App* AddGate(CLI::App& app, GateOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "gate",
      "Apply the keep gate to two recorded runs: BEST (the yardstick) and TRIAL "
      "(exit 0 keep, 1 discard, 2 the trial was not correct)");
  cmd->add_option("best", o.best_json, "JSON of the best kept run")->required();
  cmd->add_option("trial", o.trial_json, "JSON of the run to judge")->required();
  cmd->add_option("--noise-floor", o.noise_floor_pct, "Noise floor in percent (default: none)");
  return cmd;
}

int RunGate(const GateOptions& o) {
  const RunRecord best = Load(o.best_json);
  RunRecord trial = Load(o.trial_json);
  if (best.target != trial.target) {
    throw UsageError("the runs are of different targets (" + best.target + ", " +
                     trial.target + ")");
  }
  if (best.fingerprint != trial.fingerprint) {
    std::fprintf(stderr, "lar: warning: the runs come from different machines or builds "
                         "(fingerprints %s, %s); the comparison is not a valid gate\n",
                 best.fingerprint.c_str(), trial.fingerprint.c_str());
  }
  GateInput in;
  in.trial = &trial;
  in.best = &best;
  in.best_commit = best.trial.value("commit", "").substr(0, 7);
  in.noise_floor_pct = o.noise_floor_pct;
  const GateResult g = ApplyGate(in);
  std::printf("verdict: %s\nrule:    %s\n", g.verdict.c_str(), g.rule.c_str());
  return g.exit_code;
}

}  // namespace lar
