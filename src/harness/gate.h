// The keep gate (HARNESS.md "The verdict", docs/robustness.md): decides whether a trial is kept,
// from its run record and the record of the best kept trial. Pure: no I/O, so every rule is
// unit-tested on synthetic records.
#ifndef LAR_HARNESS_GATE_H_
#define LAR_HARNESS_GATE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/record.h"

namespace lar {

// Rule constants. A keep needs the one-sided 95% lower bound of its gain
// to reach the keep minimum: this machine's calibrated noise floor for the
// target and ISA (the A/A figures, calibration.h), but at least
// kMinGainFloor; kUncalibratedMinGain while no A/A has run.
inline constexpr double kMinGainFloor = 0.0025;
inline constexpr double kUncalibratedMinGain = 0.01;
inline constexpr double kConfidenceZ = 1.6448536;
inline constexpr double kWorstComboLimit = 0.05;  // no combo slower by > 5%
inline constexpr double kTradeOffFactor = 10.0;   // gains >= 10x losses

struct GateInput {
  const RunRecord* trial = nullptr;  // this trial (status/correctness set)
  const RunRecord* best = nullptr;   // best kept trial; nullptr: baseline
  std::string best_commit;           // for the verdict line
  double noise_floor_pct = -1.0;     // < 0: not calibrated
  // The least keep minimum: kMinGainFloor, or kUncalibratedMinGain for a
  // --quick trial (too few replicates to resolve half a percent).
  double min_gain_floor = kMinGainFloor;
  // Whether the trial's in-loop comparison (measure->vs_best) was made
  // against `best`. When false the gate compares the two recorded runs.
  bool in_loop_is_best = true;
  // Files changed since the best's commit other than the target's
  // kernels.cc. nullopt: not checked (outside git, or no best).
  std::optional<std::vector<std::string>> outside_files;
  bool force_baseline = false;  // `lar trial --baseline`
};

GateResult ApplyGate(const GateInput& in);

// The keep minimum (a fraction) for a noise floor in percent (< 0: not
// calibrated): the floor, but at least `least`.
double KeepMinimum(double noise_floor_pct, double least = kMinGainFloor);

// One more named ISA (--isas) against the best: the change of the
// candidate's speed and its one-sided 95% upper bound; a regression when
// the upper bound is below `limit` = -(that ISA's keep minimum).
// In the loop when the run timed the best beside it, else from the best's
// record of that ISA; nullopt when neither is there.
struct IsaChange {
  std::string isa;
  double change = 0.0;
  double upper = 0.0;
  double limit = 0.0;
};
std::optional<IsaChange> CompareAtIsa(const IsaRun& run, const RunRecord* best, bool in_loop,
                                      double least = kMinGainFloor);

// Two percentages with as many decimals (1 to 6) as it takes to show them
// different when they are, so a printed "a < b" is the comparison made.
std::pair<std::string, std::string> ComparedPercents(double a, double b);

inline nlohmann::json ToJson(const GateResult& g) { return g; }

}  // namespace lar

#endif  // LAR_HARNESS_GATE_H_
