// lar trial as a list of named steps: find the best kept trial, check the
// edit scope, load the kernel variants, verify, bench, calibrate a
// baseline, gate, record. src/cli/trial.cc parses the command line and
// prints; everything it decides lives here, each step a function with one
// job, so the rules are unit-tested without git or a build tree.
#ifndef LAR_HARNESS_TRIAL_H_
#define LAR_HARNESS_TRIAL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/gate.h"
#include "harness/isa.h"
#include "harness/record.h"
#include "harness/results.h"
#include "harness/sysinfo.h"
#include "harness/target.h"

namespace lar {

struct TrialRequest {
  std::string message;
  std::string results_path = "results.tsv";
  std::optional<Isa> isa;  // nullopt: the best ISA of this CPU
  // --isas: more ISAs timed in the same trial, each gated for regressions
  // against the best (the timed ISA may be among them).
  std::vector<Isa> isas;
  bool quick = false;
  bool baseline = false;  // start a new baseline
  double budget_seconds = 600.0;
  double max_seconds = 0.0;  // 0: the default sampling cap
  uint64_t seed = 1;
  // --plant-delay: the best kernel timed this much slower (testing the
  // gate; MeasureOptions::planted_delay). Needs a kept best.
  double planted_delay_pct = 0.0;
  // Set when the pre-trial rebuild failed: the trial records a crash.
  std::optional<std::string> build_failure;
};

// The most recent kept trial (baseline or keep) of this target, machine and
// ISA whose full record is readable and of this harness version.
struct BestKept {
  const ResultRow* row = nullptr;
  std::optional<RunRecord> record;
  // How verdicts name it: its commit, else its run id ("" when none).
  std::string name() const;
};
BestKept FindBest(const ResultsFile& results, const std::string& results_path,
                  const std::string& target, const std::string& machine, const std::string& isa,
                  std::vector<std::string>* warnings);

// The edit-scope rule, pure. `tracked`: tracked paths that differ from the
// best's commit (committed or not); `untracked`: untracked, non-ignored
// paths; all relative to the checkout's top level. `own_outputs`: lar's own
// files there (the results file, .lar/), relative too. Returns the paths
// that break the rule: any tracked change but the target's kernels.cc, and
// untracked files only where the build or an #include can reach them
// (src/, targets/, tests/, templates/, meson files), since a stray file
// elsewhere (a chart, notes) cannot change what is measured.
std::vector<std::string> OutsideEditScope(const std::vector<std::string>& tracked,
                                          const std::vector<std::string>& untracked,
                                          const std::string& target_id,
                                          const std::vector<std::string>& own_outputs);

// kernels.cc with the text between its BEGIN MUTABLE / END MUTABLE fences
// removed: what an agent may not change. Equal for two sources that differ
// only inside the fences.
std::string OutsideFences(const std::string& kernel_source);

// Runs the trial and returns its finished record (verdict in
// record.trial->gate); the record is written and the row appended.
RunRecord RunTrialSteps(const Target& target, const TrialRequest& request);

}  // namespace lar

#endif  // LAR_HARNESS_TRIAL_H_
