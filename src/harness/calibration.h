// The noise floor of this machine for a target, stored beside the results
// file (keyed by machine fingerprint and target) for the keep gate. Two A/A
// measurements feed it: `lar calibrate` times the reference against a
// separately allocated copy of itself; every baseline trial times the
// kernel against a second build of itself in the same loop. The floor is
// the larger of the two.
#ifndef LAR_HARNESS_CALIBRATION_H_
#define LAR_HARNESS_CALIBRATION_H_

#include <optional>
#include <string>

#include "harness/measure.h"

namespace lar {

// One A/A measurement.
struct AaResult {
  double floor_pct = -1.0;  // how far from 1 the 90% CI reaches, percent
  double speedup = 1.0;
  Interval ci;
  int rounds = 0;
  std::string timestamp;
  std::string isa;     // the ISA timed (the kernel A/A is kept per ISA)
  std::string origin;  // "lar calibrate" or "baseline <run id>"
};

struct Calibration {
  std::string target;
  std::optional<AaResult> reference;  // lar calibrate
  std::optional<AaResult> kernel;     // the baseline trial of the ISA asked for
  int harness_version = 0;
  // Set when this target has no calibration and another target's (the
  // widest on this machine) stands in.
  std::string borrowed_from;
  // The floor the gate uses: the larger of the two.
  double noise_floor_pct() const;
  // Where the floor came from, for the block: "kernel A/A of the AVX2
  // baseline <run id> (2026-12-03T10:14:02); reference A/A 0.05% ...".
  std::string Describe() const;
};

AaResult MakeAaResult(double speedup, const Interval& ci, int rounds, const std::string& isa,
                      const std::string& origin);

// .lar/calibration.json beside the results file.
std::string CalibrationPath(const std::string& results_path);

// This target's calibration on this machine and harness version (its
// kernel A/A for `isa`), else the one with the largest floor among this
// machine's targets; nullopt if none.
std::optional<Calibration> LoadCalibration(const std::string& results_path,
                                           const std::string& fingerprint,
                                           const std::string& target, const std::string& isa);

// Stores whichever of `reference` / `kernel` is set (the kernel A/A under
// its ISA), keeping the others; read-modify-write under a lock, replaced
// atomically.
void StoreCalibration(const std::string& results_path, const std::string& fingerprint,
                      const std::string& target, const std::optional<AaResult>& reference,
                      const std::optional<AaResult>& kernel);

}  // namespace lar

#endif  // LAR_HARNESS_CALIBRATION_H_
