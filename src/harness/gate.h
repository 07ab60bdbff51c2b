// The keep gate of SPEC s6: decides whether a trial is kept, from its run
// record and the record of the best kept trial. Pure: no I/O, so every rule
// is unit-tested on synthetic records.
#ifndef LAR_HARNESS_GATE_H_
#define LAR_HARNESS_GATE_H_

#include <optional>
#include <string>
#include <vector>

#include "harness/record.h"

namespace lar {

// Rule constants (SPEC s6).
inline constexpr double kMinGain = 0.01;           // at least +1% ...
inline constexpr double kConfidenceZ = 1.6448536;  // ... at one-sided 95%
inline constexpr double kWorstComboLimit = 0.05;   // no combo slower by > 5%
inline constexpr double kTradeOffFactor = 10.0;    // gains >= 10x losses

struct GateInput {
  const RunRecord* trial = nullptr;  // this trial (status/correctness set)
  const RunRecord* best = nullptr;   // best kept trial; nullptr: baseline
  std::string best_commit;           // for the verdict line
  double noise_floor_pct = -1.0;     // < 0: not calibrated
  // Files changed since the best's commit other than the target's
  // kernels.cc. nullopt: not checked (outside git, or no best).
  std::optional<std::vector<std::string>> outside_files;
  bool force_baseline = false;       // `lar trial --baseline`
};

struct GateResult {
  std::string keep;     // the TSV keep value
  std::string rule;     // which rule decided: crash, timeout, correctness,
                        // edit-scope, baseline, significance, worst-combo,
                        // trade-off, all
  std::string verdict;  // the one-line verdict with its numbers
  int exit_code = 0;
  // The numbers behind a comparison with a best (NaN when not compared).
  double gain = NAN;        // speed-up ratio - 1
  double gain_lower = NAN;  // one-sided 95% lower bound of the gain
  double p_value = NAN;     // one-sided, H0: no gain
  double threshold = NAN;   // max(1%, noise floor)
  double worst_change = NAN;
  std::string worst_combo;
  double improvement_ns = NAN;  // trade-off rule, in the best's reference ns
  double regression_ns = NAN;
};

GateResult ApplyGate(const GateInput& in);

nlohmann::json ToJson(const GateResult& g);

}  // namespace lar

#endif  // LAR_HARNESS_GATE_H_
