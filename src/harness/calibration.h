// The noise floor of this machine: an A/A measurement (the reference timed
// against a second, separately allocated copy of itself) stored beside the
// results file, keyed by machine fingerprint and target, for the gate.
#ifndef LAR_HARNESS_CALIBRATION_H_
#define LAR_HARNESS_CALIBRATION_H_

#include <optional>
#include <string>

#include "harness/measure.h"

namespace lar {

struct Calibration {
  std::string target;
  double noise_floor_pct = 0.0;
  double aa_speedup = 1.0;  // should be ~1
  Interval aa_ci;
  int rounds = 0;
  int harness_version = 0;
  std::string timestamp;
};

// The smallest change an A/A comparison says this machine can resolve:
// max(CI half-width, |estimate - 1|), in percent.
double NoiseFloorPct(const MeasureResult& aa);

// .lar/calibration.json beside the results file.
std::string CalibrationPath(const std::string& results_path);

// This target's calibration on this machine and harness version, else the
// largest floor any target has here; nullopt if none.
std::optional<Calibration> LoadCalibration(const std::string& results_path,
                                           const std::string& fingerprint,
                                           const std::string& target);

// Read-modify-write under a lock, replaced atomically.
void StoreCalibration(const std::string& results_path,
                      const std::string& fingerprint, const Calibration& c);

}  // namespace lar

#endif  // LAR_HARNESS_CALIBRATION_H_
