// The two phases every command is built from, each run in a child process:
// verify (the battery on every ISA) and bench (the measurement loop). A
// crash or hang of the kernel comes back as a status, never kills lar.
#ifndef LAR_HARNESS_PHASES_H_
#define LAR_HARNESS_PHASES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/isa.h"
#include "harness/measure.h"
#include "harness/record.h"
#include "harness/target.h"
#include "harness/verify.h"

namespace lar {

struct VerifyPhase {
  PhaseStatus status = PhaseStatus::kOk;
  VerifyReport report;  // complete when status is kOk or kFailed
  std::string failure;  // one line for kCrashed / kTimedOut
  double seconds = 0.0;
};

VerifyPhase RunVerifyPhase(const Target& target, const std::vector<Isa>& isas,
                           const std::vector<uint64_t>& seeds, bool quick, double timeout_seconds);

struct BenchPhase {
  PhaseStatus status = PhaseStatus::kOk;  // kFailed: a timed output was wrong
  std::string isa;                        // the ISA that ran (confirmed by dispatch)
  std::optional<MeasureResult> measure;
  std::string failure;
  double peak_mem_mb = 0.0;
  double seconds = 0.0;
};

// Code placements a bench rotates through, one per pair of child
// processes: pair u times candidate[u % n] against best[u % n], the same
// kernels linked at other addresses (variant.h, `layout`), the two in the
// same layout so that identical code compares equal. Child processes are
// forked, so without this every process would run the code where the
// parent loaded it, and the CI would not carry what placement does to a
// change.
struct Placements {
  std::vector<const Target*> candidate;
  std::vector<const Target*> best;  // the same size
};

// `isa` empty: Highway's normal choice (the best this CPU supports).
// `best`: a variant of the target (the best kept kernel) timed in the same
// loop; the result then carries vs_best, and the replication unit is a
// pair of processes, the second with the two kernels' slots swapped.
// `placements` (with `best`): the code layouts to rotate through instead
// of `target` and `best` alone.
BenchPhase RunBenchPhase(const Target& target, const std::optional<Isa>& isa, bool quick,
                         MeasureOptions options, double timeout_seconds,
                         const Target* best = nullptr, const Placements* placements = nullptr);

// Settings of the measurement loop for a full or a --quick run.
MeasureOptions DefaultMeasureOptions(bool quick);

}  // namespace lar

#endif  // LAR_HARNESS_PHASES_H_
