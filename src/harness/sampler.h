// Sampling, separate from analysis (measure.h): the untimed set-up of each
// combo, warm-up, calibrated samples with the reference interleaved with
// the candidate (and the best kept kernel) on the same inputs, fresh
// inputs, verification of timed outputs, and rounds on fresh memory
// layouts. It runs exactly the rounds it is asked for; when to stop is the
// stopping rule's business (CheckStopping), in one place.
#ifndef LAR_HARNESS_SAMPLER_H_
#define LAR_HARNESS_SAMPLER_H_

#include <optional>
#include <string>
#include <vector>

#include "harness/measure.h"
#include "harness/target.h"

namespace lar {

// Raw measurements: per combo the samples with their rounds and the order
// of each pair, ops per sample, checked outputs and counters; no
// statistics yet (Analyze computes them, once, where all rounds meet).
struct Sampled {
  std::vector<ComboMeasurement> combos;
  int rounds = 0;
  std::string counters_note;  // empty when counters worked
  std::optional<Mismatch> mismatch;
  std::string mismatch_combo;
  double seconds = 0.0;
};

// Sets up every combo and samples `rounds` rounds (stops early only at a
// timed output that differs from the reference).
Sampled SampleRounds(const std::vector<Combo>& combos, const MeasureOptions& options, int rounds);

// In one process: rounds until the stopping rule says enough (each round a
// replication unit), then the statistics. lar bench and trial use
// processes as units instead (phases.h); this serves tests and tools.
MeasureResult Measure(const std::vector<Combo>& combos, const MeasureOptions& options);

}  // namespace lar

#endif  // LAR_HARNESS_SAMPLER_H_
