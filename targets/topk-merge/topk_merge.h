// topk-merge: the kernel contract. Lance's nearest-neighbour selection:
// each probed partition keeps its k nearest rows in a bounded max-heap
// (FlatIndex::search_with_scratch, flat/index.rs), and the scanner merges
// every partition's candidates into the global top k ordered by
// (_distance, _rowid) (DataFusion SortExec with fetch = k, scanner.rs ann).
// One timed operation is one query: a Select per partition, then one Merge.
// kernels.cc implements the first block (the agent's file); reference.cc
// the second (immutable, Lance's heaps).
#ifndef LAR_TARGETS_TOPK_MERGE_TOPK_MERGE_H_
#define LAR_TARGETS_TOPK_MERGE_TOPK_MERGE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <hwy/base.h>

#include "harness/target.h"

namespace lar::topk_merge {

struct Shape {
  size_t k = 10;          // rows wanted (k' = k * refine_factor in Lance)
  size_t partitions = 1;  // P: probed partitions (x index deltas), >= 1
  size_t rows = 0;        // the most rows any one partition holds
};

// One partition's candidates, or one sorted Select output.
struct List {
  const float* distances;
  const uint64_t* row_ids;
  size_t size;
};

// The order everything is sorted by: IEEE total order of the distance
// (-NaN < -inf < ... < -0 < +0 < ... < +inf < +NaN, as f32::total_cmp and
// arrow-row's float encoding), then row id ascending. Row ids are unique
// within a query, so the order is strict and every answer is exact: a
// kernel must reproduce the reference's (distance bits, row id) pairs.
//
// Input assumptions (the verify battery covers each):
// - distances may hold any bit pattern: +-NaN with any payload, +-inf,
//   -0 and +0 (distinct under total order), subnormals; ties are common.
// - row ids are unique across all partitions of a query, in no order.
// - a partition may be empty; k may be 0 or exceed a partition's size;
//   pointers have any element alignment.

class Prepared {
 public:
  virtual ~Prepared() = default;
};

// ---- kernels.cc: the agent's file --------------------------------------
// Untimed; may allocate scratch sized by the shape.
std::unique_ptr<Prepared> Prepare(const Shape& shape);
// Timed (per partition): the min(k, n) smallest of n unsorted candidates,
// sorted by the order above, into out_*; returns the count. n <= rows.
size_t Select(Prepared& prepared, const float* HWY_RESTRICT distances,
              const uint64_t* HWY_RESTRICT row_ids, size_t n, size_t k,
              float* HWY_RESTRICT out_distances, uint64_t* HWY_RESTRICT out_row_ids);
// Timed (once per query): the min(k, sum of sizes) smallest over `count`
// lists, each sorted (Select's outputs), sorted by the order above.
size_t Merge(Prepared& prepared, const List* HWY_RESTRICT lists, size_t count, size_t k,
             float* HWY_RESTRICT out_distances, uint64_t* HWY_RESTRICT out_row_ids);
// The HWY_TARGET this file's dispatch selects now.
int64_t KernelTarget();

// ---- reference.cc: Lance's heaps, scalar --------------------------------
namespace reference {
// `heap` is scratch of k entries (the harness owns every buffer).
struct Entry {
  float distance;
  uint64_t row_id;
};
size_t Select(const float* distances, const uint64_t* row_ids, size_t n, size_t k, Entry* heap,
              float* out_distances, uint64_t* out_row_ids);
size_t Merge(const List* lists, size_t count, size_t k, Entry* heap, float* out_distances,
             uint64_t* out_row_ids);
// The total order above: true when (da, ia) sorts before (db, ib).
bool Before(float da, uint64_t ia, float db, uint64_t ib);
}  // namespace reference

// Any implementation of the contract (the shipped one, a variant build of
// another version of kernels.cc, or a broken one in the test zoo).
struct KernelApi {
  std::unique_ptr<Prepared> (*prepare)(const Shape&);
  size_t (*select)(Prepared&, const float*, const uint64_t*, size_t, size_t, float*, uint64_t*);
  size_t (*merge)(Prepared&, const List*, size_t, size_t, float*, uint64_t*);
  int64_t (*kernel_target)();
};

inline KernelApi ShippedKernel() { return {&Prepare, &Select, &Merge, &KernelTarget}; }

// The registration of topk-merge (target.cc) around any kernel implementation.
Target MakeTarget(const std::string& id, const KernelApi& api);

}  // namespace lar::topk_merge

#endif  // LAR_TARGETS_TOPK_MERGE_TOPK_MERGE_H_
