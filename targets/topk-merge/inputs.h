// topk-merge inputs: speed workloads over k = 10..1000 and 1..100
// partitions with uniform, heavily tied and descending distances, and a
// correctness battery (every NaN/inf/zero kind, all-equal distances, empty
// and ragged partitions, k = 0 and k beyond every partition, misaligned
// pointers). Immutable for agents.
#ifndef LAR_TARGETS_TOPK_MERGE_INPUTS_H_
#define LAR_TARGETS_TOPK_MERGE_INPUTS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/prng.h"
#include "targets/topk-merge/topk_merge.h"

namespace lar::topk_merge {

// How a partition's distances are drawn.
enum class Order {
  kUniform,     // uniform in [0, 4): the common case
  kTies,        // 16 distinct values: long runs of ties at the k-th place
  kDescending,  // sorted descending in storage order: every row enters a heap
  kAscending,   // sorted ascending: the first k rows win
  kSpecial,     // uniform with 1 in 8 rows +-NaN (any payload), +-inf, +-0, subnormal
  kEqual,       // one value everywhere: the order is the row ids'
};
const char* OrderName(Order o);

struct WorkloadSpec {
  Shape shape;
  Order order;
};

std::vector<WorkloadSpec> SpeedWorkloads(bool quick);
std::string ShapeName(const Shape& s);

inline constexpr size_t kQuerySlots = 16;

// One query's candidates: partitions back to back.
struct Problem {
  std::vector<float> distances;
  std::vector<uint64_t> row_ids;  // unique, shuffled, interleaved across partitions
  std::vector<size_t> sizes;      // per partition, each <= shape.rows
};

// ragged: partition sizes uniform in [0, rows] instead of all `rows`.
void DrawProblem(const Shape& shape, Order order, bool ragged, SplitMix64& rng, Problem* out);

struct BatteryCase {
  std::string name;
  Shape shape;
  Order order;
  bool ragged = false;
  size_t misalign = 0;  // elements added to every input pointer
};

std::vector<BatteryCase> Battery(bool quick);

}  // namespace lar::topk_merge

#endif  // LAR_TARGETS_TOPK_MERGE_INPUTS_H_
