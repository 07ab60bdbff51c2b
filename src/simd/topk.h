// Top-k selection over a distance array, shared by the glue of the PQ
// targets (Lance selects top-k outside the distance kernel, so lar does too:
// it is identical code for the candidate and the reference).
#ifndef LAR_SIMD_TOPK_H_
#define LAR_SIMD_TOPK_H_

#include <cstddef>
#include <cstdint>

namespace lar {

// The largest k SelectTopK takes: its keys live on the stack so that it
// never allocates (Lance's k is 10 to a few hundred).
inline constexpr size_t kMaxSelectK = 1024;

// Writes the min(k, n) smallest (distance, index) pairs of d[0..n), ordered
// by (IEEE total order of the distance, index), into out_ids/out_distances
// and returns the count. k <= kMaxSelectK (checked: larger aborts). Does not
// allocate. A SIMD pre-filter skips blocks that cannot enter the current
// top-k.
size_t SelectTopK(const float* distances, size_t n, size_t k, uint32_t* out_ids,
                  float* out_distances);

}  // namespace lar

#endif  // LAR_SIMD_TOPK_H_
