// posting-intersect reference: the Rust workspace's oracle
// (crates/posting-intersect/src/reference.rs, lance-autoresearch @
// fe0b4842), re-written: K-way AND as a left fold of pairwise two-finger
// merges, in the lists' given order, no galloping, no SIMD. Its output is
// the sorted intersection, so any correct kernel matches it bit for bit.
// Immutable for agents.
#include <cstring>
#include <utility>

#include "targets/posting-intersect/posting_intersect.h"

namespace lar::posting_intersect::reference {
namespace {

// The classic merge: advance the finger on the smaller id, emit on equal.
size_t Pairwise(const uint32_t* a, size_t na, const uint32_t* b, size_t nb, uint32_t* out) {
  size_t i = 0, j = 0, n = 0;
  while (i < na && j < nb) {
    const uint32_t av = a[i], bv = b[j];
    if (av == bv) {
      out[n++] = av;
      ++i;
      ++j;
    } else if (av < bv) {
      ++i;
    } else {
      ++j;
    }
  }
  return n;
}

}  // namespace

size_t Intersect(const List* lists, size_t count, uint32_t* out, uint32_t* scratch) {
  if (count == 0) return 0;
  if (count == 1) {
    if (lists[0].size > 0) std::memcpy(out, lists[0].ids, lists[0].size * sizeof(uint32_t));
    return lists[0].size;
  }
  for (size_t k = 0; k < count; ++k) {
    if (lists[k].size == 0) return 0;
  }
  // The first two lists into `out`, then each further list against the
  // running result, ping-ponging between the two buffers (Rust swaps the
  // Vecs; here the pointers, and the result is copied home at the end).
  uint32_t* cur = out;
  uint32_t* other = scratch;
  size_t n = Pairwise(lists[0].ids, lists[0].size, lists[1].ids, lists[1].size, cur);
  for (size_t k = 2; k < count && n > 0; ++k) {
    n = Pairwise(cur, n, lists[k].ids, lists[k].size, other);
    std::swap(cur, other);
  }
  if (cur != out && n > 0) std::memcpy(out, cur, n * sizeof(uint32_t));
  return n;
}

}  // namespace lar::posting_intersect::reference
