// posting-intersect inputs: the Rust workspace's 9 speed combos exactly
// (K = 2, 3, 5 x balanced / skewed / dense, its generator and seeds, 128
// instances each), Lance-like Zipf pairs (docs/lance/query.md s1.5, s4.3:
// length ratios 1x to 42,000x), and a correctness battery (the
// workspace's kinds at its correctness scale, plus empty, single-element,
// identical, disjoint, nested, consecutive-run, extreme-skew and
// near-u32-max lists, K up to 8, misaligned pointers). Immutable for
// agents.
#ifndef LAR_TARGETS_POSTING_INTERSECT_INPUTS_H_
#define LAR_TARGETS_POSTING_INTERSECT_INPUTS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/prng.h"
#include "targets/posting-intersect/posting_intersect.h"

namespace lar::posting_intersect {

// One problem: K sorted, unique lists.
using ListSet = std::vector<std::vector<uint32_t>>;

// The Rust workspace's data kinds (inputs.rs InputKind).
enum class Kind {
  kBalanced,   // universe 1M, each list 1% (10k ids)
  kSkewed,     // universe 500k: one list of 50, the others 5% (25k)
  kDense,      // universe 10k, each list 50%
  kSparse,     // universe 1M, 10 ids per list (battery only)
  kClustered,  // universe 100k, 32 runs of consecutive ids (battery only)
  kZipf,       // Lance-like: lists of the Zipf ranks' document frequencies
};
const char* KindName(Kind k);

// ---- Speed workloads ------------------------------------------------------

struct WorkloadSpec {
  size_t lists;                 // K
  Kind kind;                    // kBalanced, kSkewed, kDense or kZipf
  std::vector<uint32_t> ranks;  // kZipf: the terms' Zipf ranks, one per list
};

std::vector<WorkloadSpec> SpeedWorkloads(bool quick);
std::string ShapeName(const WorkloadSpec& w);
std::string DistributionName(const WorkloadSpec& w);

// A combo's instances (built once, cached), each with its List views.
struct Instances {
  std::vector<ListSet> sets;
  std::vector<std::vector<List>> views;  // [instance][k], into `sets`
  Shape shape;                           // K and the longest list
  size_t result_room = 0;                // the largest min(|l0|, |l1|): the reference's buffers
  double mean_ids = 0.0;                 // ids per instance, averaged (bytes_per_op / 4)
};
std::shared_ptr<const Instances> SpeedInstances(const WorkloadSpec& w);

inline constexpr size_t kSlots = 16;

// ---- Battery ---------------------------------------------------------------

enum class Edge {
  kNone,           // the kind's generator (Rust's correctness scale)
  kOneEmpty,       // one list empty
  kAllEmpty,       // every list empty
  kDisjoint,       // evens vs odds
  kIdentical,      // K copies of one list
  kSingleOverlap,  // one id in common
  kSingle,         // one element per list (equal or not)
  kNested,         // each list a subset of the one before
  kRuns,           // runs of consecutive ids, shifted per list
  kExtremeSkew,    // 1-3 ids against 200k
  kHighIds,        // ids near 0xFFFFFFFF (u32 max included)
  kSmall,          // random small lists (0..40 ids): every SIMD tail
};

struct BatteryCase {
  std::string name;
  size_t lists;
  Kind kind;
  Edge edge;
  size_t misalign = 0;  // elements added to every list pointer
};

std::vector<BatteryCase> Battery(bool quick);
ListSet DrawCase(const BatteryCase& c, uint64_t seed);

}  // namespace lar::posting_intersect

#endif  // LAR_TARGETS_POSTING_INTERSECT_INPUTS_H_
