// posting-intersect: the kernel contract. The AND of a full-text query:
// K sorted posting lists of partition-local doc ids into their sorted
// intersection. Lance's primary pin does this as a leapfrog of
// per-element seeks inside WAND (wand.rs next_and_candidate); the newest
// Lance adds block-level "bulk AND" slice merges and a "lead stream" for
// skewed conjunctions (docs/lance/query.md s4.1). lar times the
// materialized form the Rust workspace's posting-intersect crate defines,
// on its workloads and on Lance-like Zipf pairs. One timed operation is
// one K-way intersection.
// kernels.cc implements the first block (the agent's file); reference.cc
// the second (immutable: a left fold of two-finger merges).
#ifndef LAR_TARGETS_POSTING_INTERSECT_POSTING_INTERSECT_H_
#define LAR_TARGETS_POSTING_INTERSECT_POSTING_INTERSECT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <hwy/base.h>

#include "harness/target.h"

namespace lar::posting_intersect {

// The largest problem a Prepared is sized for.
struct Shape {
  size_t lists = 2;       // K >= 1
  size_t max_length = 0;  // the longest list of any instance
};

struct List {
  const uint32_t* ids;
  size_t size;
};

// Input assumptions (the verify battery covers each):
// - every list is strictly increasing (sorted, no duplicates); values span
//   the whole u32 range (0 and 0xFFFFFFFF included); a list may be empty;
//   pointers are 4-byte aligned only, and a list may be read only within
//   [ids, ids + size).
// - 1 <= count <= shape.lists; every size <= shape.max_length.
// - `out` has room for the shortest list's size (nothing more may be
//   written: guard elements after it are checked).

class Prepared {
 public:
  virtual ~Prepared() = default;
};

// ---- kernels.cc: the agent's file --------------------------------------
// Untimed; may allocate scratch sized by the shape.
std::unique_ptr<Prepared> Prepare(const Shape& shape);
// Timed: the sorted ids present in all `count` lists, into out; returns
// how many. Must not allocate or throw.
size_t Intersect(Prepared& prepared, const List* HWY_RESTRICT lists, size_t count,
                 uint32_t* HWY_RESTRICT out);
// The HWY_TARGET this file's dispatch selects now.
int64_t KernelTarget();

// ---- reference.cc: the two-finger merge, scalar --------------------------
namespace reference {
// `out` and `scratch` have room for min(lists[0].size, lists[1].size) ids:
// the fold's first result, its largest.
size_t Intersect(const List* lists, size_t count, uint32_t* out, uint32_t* scratch);
}  // namespace reference

// Any implementation of the contract (the shipped one, a variant build of
// another version of kernels.cc, or a broken one in the test zoo).
struct KernelApi {
  std::unique_ptr<Prepared> (*prepare)(const Shape&);
  size_t (*intersect)(Prepared&, const List*, size_t, uint32_t*);
  int64_t (*kernel_target)();
};

inline KernelApi ShippedKernel() { return {&Prepare, &Intersect, &KernelTarget}; }

// The registration of posting-intersect (target.cc) around any kernel
// implementation.
Target MakeTarget(const std::string& id, const KernelApi& api);

}  // namespace lar::posting_intersect

#endif  // LAR_TARGETS_POSTING_INTERSECT_POSTING_INTERSECT_H_
