// lar gate: the keep gate applied to two recorded runs (a bench --json
// document or a .lar/runs record each), for auditing a verdict.
#include <cstdio>
#include <fstream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "base/strings.h"
#include "cli/common.h"
#include "harness/gate.h"
#include "harness/record.h"

namespace lar {
namespace {

// BEST must hold a measurement; TRIAL may lack one when it failed before
// the bench (the gate then decides on its status alone).
RunRecord Load(const std::string& path, bool is_best) {
  std::ifstream in(path);
  const std::string what = "give a JSON written by lar bench --json or a .lar/runs record";
  if (!in) throw UsageError("cannot read " + path + "; " + what);
  RunRecord r;
  try {
    const nlohmann::json doc = nlohmann::json::parse(in);
    if (!doc.is_object() || !doc.contains("runs") || !doc.at("runs").is_array() ||
        doc.at("runs").empty()) {
      throw UsageError(path + " is not a lar run document (no runs[]); " + what);
    }
    r = RunRecordFromJson(doc.at("runs").at(0));
  } catch (const nlohmann::json::exception& e) {
    throw UsageError(path + " is not a lar run document (" + e.what() + "); " + what);
  }
  const bool measured = r.measure && !r.measure->combos.empty();
  if (!measured && (is_best || r.status == RunStatus::kOk)) {
    throw UsageError(path + " holds no measurement (status " + std::string(ToString(r.status)) +
                     "); give a run that benched");
  }
  return r;
}

}  // namespace

CLI::App* AddGate(CLI::App& app, GateOptions& o) {
  CLI::App* cmd =
      app.add_subcommand("gate",
                         "Apply the keep gate to two recorded runs: BEST (the yardstick) and TRIAL "
                         "(exit 0 keep, 1 discard, 2 the trial was not correct)");
  cmd->add_option("best", o.best_json, "JSON of the best kept run")->required();
  cmd->add_option("trial", o.trial_json, "JSON of the run to judge")->required();
  cmd->add_option("--noise-floor", o.noise_floor_pct,
                  "Noise floor in percent (default: the one recorded in TRIAL)");
  return cmd;
}

int RunGate(const GateOptions& o) {
  const RunRecord best = Load(o.best_json, true);
  RunRecord trial = Load(o.trial_json, false);
  if (best.target != trial.target) {
    throw UsageError("the runs are of different targets (" + best.target + " in " + o.best_json +
                     ", " + trial.target + " in " + o.trial_json +
                     "); give two runs of one target");
  }
  if (best.isa != trial.isa) {
    throw UsageError("the runs timed different ISAs (" + best.isa + " in " + o.best_json + ", " +
                     trial.isa + " in " + o.trial_json +
                     "); give two runs of one ISA (lar trial --isa / lar bench --isa)");
  }
  if (best.fingerprint != trial.fingerprint) {
    std::fprintf(stderr,
                 "lar: warning: the runs come from different machines or builds "
                 "(fingerprints %s, %s); the comparison is not a valid gate\n",
                 best.fingerprint.c_str(), trial.fingerprint.c_str());
  }
  GateInput in;
  in.trial = &trial;
  in.best = &best;
  in.best_commit =
      best.trial && !best.trial->commit.empty() ? best.trial->commit.substr(0, 7) : best.run_id;
  // The trial's in-loop figure compares it with the kernel it was timed
  // beside; it stands for BEST only if that kernel was BEST's run.
  in.in_loop_is_best = trial.trial && trial.trial->best_run_id == best.run_id;
  in.noise_floor_pct = o.noise_floor_pct >= 0 ? o.noise_floor_pct : trial.noise_floor_pct;
  const GateResult g = ApplyGate(in);
  std::string how = "no comparison was needed";
  if (g.comparison == "in-loop") {
    how = "in-loop: " + best.run_id + " was timed in the same loop as " + trial.run_id;
  } else if (g.comparison == "records") {
    how = "records: the two recorded runs (their speed-ups vs the reference)";
    if (trial.measure->vs_best && trial.trial) {
      how += "; the trial's in-loop figure is against " + trial.trial->best_run_id + ", not BEST";
    }
  }
  const std::string floor =
      in.noise_floor_pct < 0
          ? "not calibrated"
          : StrFormat("%.2f%% (%s)", in.noise_floor_pct,
                      o.noise_floor_pct >= 0 ? "--noise-floor" : "the trial's record");
  std::printf("verdict:     %s\nrule:        %s\ncomparison:  %s\nnoise floor: %s\n",
              g.verdict.c_str(), g.rule.c_str(), how.c_str(), floor.c_str());
  return g.exit_code;
}

}  // namespace lar
