// The analysis side of the measurement (docs/robustness.md; sampler.h samples): options,
// the measurement structs, the statistics of raw samples, and the one
// stopping rule that says when the global speed-up is known to the target
// precision.
//
// Statistics: within a round, a combo's speed-up is the order-balanced
// estimator over its pairs. Rounds are the unit of replication: a combo's
// speed-up is the geometric mean over rounds, the global one the geometric
// mean over combos (equal weight), and the CI is the wider of a bootstrap
// stratified by combo (resampling rounds) and a Student-t interval over the
// per-round global estimates.
#ifndef LAR_HARNESS_MEASURE_H_
#define LAR_HARNESS_MEASURE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/stats.h"
#include "harness/target.h"

namespace lar {

class ChildChannel;

// The estimator lar reports as speedup_vs_reference. Chosen by the
// cross-process study in docs/robustness.md.
inline constexpr Estimator kPrimaryEstimator = Estimator::kMinRatio;

struct MeasureOptions {
  // A/A: the reference is timed against itself (lar calibrate).
  bool self_compare = false;
  double min_sample_ns = 30e3;  // one sample lasts at least this long
  double slice_seconds = 0.05;  // time per combo per round
  // The stopping rule needs at least this many replication units: child
  // processes in lar bench and trial (RunBenchPhase), rounds in Measure().
  int min_replicates = 6;
  // RunBenchPhase: rounds per child process, exactly; each child is one
  // replication unit (its own code placement, heap and layouts).
  int rounds_per_process = 2;
  double target_halfwidth = 0.01;  // relative CI half-width that ends sampling
  double max_seconds = 30.0;       // sampling cap (precision not reached)
  double confidence = 0.90;
  int bootstrap_replicates = 2000;
  Estimator estimator = kPrimaryEstimator;
  uint64_t seed = 1;
  // Draws the memory layouts (ComboState::Relocate): RunBenchPhase gives
  // each child process its own, since forked children would otherwise
  // all lay their buffers out alike.
  uint64_t layout_seed = 0x5EEDull;
  // Testing the gate (lar trial --plant-delay): the best kernel's timed
  // operations are made this fraction slower by a spin inside its timed
  // samples, sized from each combo's set-up timing, so a trial of an
  // unchanged kernel has a known true gain. `best_in_candidate_slot`: this
  // process runs the best in the candidate's slot (RunBenchPhase's swap).
  double planted_delay = 0.0;
  bool best_in_candidate_slot = false;
  // The combos' states also run the best kept kernel (Impl::kBest): it is
  // timed in the same loop, and the result carries vs_best.
  bool with_best = false;
  bool progress = false;            // one-line progress on stderr
  ChildChannel* channel = nullptr;  // crash attribution markers
  bool count_cycles = true;         // perf_event_open when allowed
};

struct ComboMeasurement {
  std::string shape;
  std::string distribution;
  size_t ops_per_sample = 0;
  PairedSamples samples;               // ns per operation, base = reference
  std::vector<int> sample_round;       // round of each pair
  std::vector<double> round_speedups;  // primary estimator, per round
  double speedup = 0.0;                // geomean of round_speedups
  Interval speedup_ci;
  double log_se = 0.0;
  // Timings: geometric means over rounds of the per-round statistic.
  double cand_median_ns = 0.0;
  double cand_low_ns = 0.0;  // low quantile (kLowQuantile)
  double cand_min_ns = 0.0;
  double ref_median_ns = 0.0;
  double ref_low_ns = 0.0;
  double bytes_per_op = 0.0;
  uint64_t ops_checked = 0;
  // With a best kernel: its ns per pair (aligned with samples), and the
  // candidate's speed-up over it (> 1: the candidate is faster).
  std::vector<double> best_ns;
  std::vector<double> round_vs_best;
  double vs_best = 0.0;
  Interval vs_best_ci;
  double vs_best_log_se = 0.0;
  double best_median_ns = 0.0;
  double cycles_per_op = -1.0;  // < 0: not available
  double instructions_per_op = -1.0;
  // The memory-speed anchor (ComboState::CopyOutput), when the combo has
  // one: memcpy samples (ns per operation) with their rounds, the output
  // bytes copied per operation, memcpy's median, and the candidate's speed
  // as a percentage of memcpy's (100 x memcpy's minimum / the candidate's
  // minimum per round, geomean over rounds). Empty / 0 without anchor.
  std::vector<double> memcpy_ns;
  std::vector<int> memcpy_round;
  double output_bytes_per_op = 0.0;
  double memcpy_median_ns = 0.0;
  double pct_of_memcpy = 0.0;
  bool operator==(const ComboMeasurement&) const = default;
};

// The memory-speed anchor over the combos that have one: geometric means
// over those combos (equal weight, as the speed-up).
struct MemcpyAnchor {
  int combos = 0;
  double output_gbps = 0.0;    // output bytes / candidate median ns
  double io_gbps = 0.0;        // (input + output) bytes / candidate median ns
  double memcpy_gbps = 0.0;    // output bytes / memcpy median ns
  double pct_of_memcpy = 0.0;  // as ComboMeasurement::pct_of_memcpy
  bool operator==(const MemcpyAnchor&) const = default;
};

struct EstimatorSummary {
  Estimator estimator;
  double speedup = 0.0;
  Interval ci;
  bool operator==(const EstimatorSummary&) const = default;
};

// The candidate against the best kept kernel, timed in the same loop.
struct Comparison {
  double speedup = 0.0;  // > 1: the candidate is faster than the best
  Interval ci;
  double log_se = 0.0;
  double bootstrap_log_se = 0.0;
  double round_log_se = 0.0;
  bool operator==(const Comparison&) const = default;
};

struct MeasureResult {
  std::vector<ComboMeasurement> combos;
  Estimator estimator = kPrimaryEstimator;
  double speedup = 0.0;  // geomean over combos, equal weight
  Interval speedup_ci;
  double log_se = 0.0;            // standard error of log(speedup): the larger of
  double bootstrap_log_se = 0.0;  // the stratified bootstrap's and
  double round_log_se = 0.0;      // the per-round globals' SE
  double geomean_ns = 0.0;        // candidate: geomean over combos of medians
  Interval geomean_ns_ci;
  double median_ns = 0.0;          // candidate: median over combos of medians
  int rounds = 0;                  // replication units of the statistics (see processes)
  int processes = 1;               // separate processes the rounds came from
  int layouts = 0;                 // memory layouts measured (relocations), all processes
  bool precision_reached = false;  // CI half-width <= target before the cap
  double seconds = 0.0;
  std::string counters_note;                 // empty when counters worked
  std::vector<EstimatorSummary> estimators;  // every candidate estimator
  std::optional<Comparison> vs_best;         // when options.best was set
  std::optional<MemcpyAnchor> memory_speed;  // when a combo has the anchor
  // Set when a timed output differed from the reference.
  std::optional<Mismatch> mismatch;
  std::string mismatch_combo;
  bool operator==(const MeasureResult&) const = default;
};

// The statistics of raw measurements (samples with their rounds), as
// Measure computes them at the end; used to merge the rounds of several
// processes. `rounds` = number of distinct round ids (0 .. rounds-1).
MeasureResult Analyze(std::vector<ComboMeasurement> combos, int rounds,
                      const MeasureOptions& options);

// The CI half-width the stopping rule looks at (the larger of the global
// speed-up's and, when a best kernel is timed, the comparison's).
double PrecisionHalfWidth(const std::vector<ComboMeasurement>& combos, int rounds,
                          const MeasureOptions& options, double* estimate);

// The one stopping rule: sampling ends when at least min_replicates units
// were measured and the CI half-width (PrecisionHalfWidth) is within
// target_halfwidth (precise), or the time cap is reached (not precise).
struct StopCheck {
  bool stop = false;
  bool precise = false;
  double estimate = 0.0;  // the speed-up so far (0 before two units)
  double half = 0.0;      // its relative CI half-width
};
StopCheck CheckStopping(const std::vector<ComboMeasurement>& so_far, int units,
                        double elapsed_seconds, const MeasureOptions& options);

// Relative half-width of an interval around an estimate.
double HalfWidth(double estimate, const Interval& ci);

}  // namespace lar

#endif  // LAR_HARNESS_MEASURE_H_
