// Dispatched top-k select: SIMD rejection of whole blocks against the
// current k-th key, scalar sorted insertion for the rare survivors.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/simd/topk.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "base/check.h"
#include "base/order.h"
#include "simd/topk.h"

HWY_BEFORE_NAMESPACE();
namespace lar {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Inserts (key, id) into the sorted working set; ids arrive in increasing
// order, so an equal key never displaces an earlier id.
inline void Insert(int32_t key, uint32_t id, float d, size_t k, size_t* size, int32_t* keys,
                   uint32_t* ids, float* dists) {
  size_t pos = *size < k ? *size : k - 1;
  if (*size == k && key >= keys[k - 1]) return;
  while (pos > 0 && keys[pos - 1] > key) {
    keys[pos] = keys[pos - 1];
    ids[pos] = ids[pos - 1];
    dists[pos] = dists[pos - 1];
    --pos;
  }
  keys[pos] = key;
  ids[pos] = id;
  dists[pos] = d;
  if (*size < k) ++*size;
}

size_t SelectTopKImpl(const float* HWY_RESTRICT d, size_t n, size_t k,
                      uint32_t* HWY_RESTRICT out_ids, float* HWY_RESTRICT out_d) {
  if (k == 0 || n == 0) return 0;
  LAR_CHECK(k <= kMaxSelectK, "SelectTopK: k = %zu is over %zu", k, kMaxSelectK);
  int32_t keys[kMaxSelectK];
  size_t size = 0;
  size_t i = 0;
  for (; i < n && size < k; ++i) {
    Insert(TotalOrderKey(d[i]), static_cast<uint32_t>(i), d[i], k, &size, keys, out_ids, out_d);
  }
  // Pre-filter: a block is skipped when every element is (IEEE) greater
  // than the current k-th distance. NaN compares false, so NaNs (which
  // total order may rank first) and ties always reach the exact path.
  const hn::ScalableTag<float> df;
  const size_t lanes = hn::Lanes(df);
  for (; i + 4 * lanes <= n; i += 4 * lanes) {
    const auto worst = hn::Set(df, out_d[k - 1]);
    const auto all_greater = hn::And(
        hn::And(hn::Gt(hn::LoadU(df, d + i), worst), hn::Gt(hn::LoadU(df, d + i + lanes), worst)),
        hn::And(hn::Gt(hn::LoadU(df, d + i + 2 * lanes), worst),
                hn::Gt(hn::LoadU(df, d + i + 3 * lanes), worst)));
    if (hn::AllTrue(df, all_greater)) continue;
    for (size_t v = i; v < i + 4 * lanes; v += lanes) {
      if (hn::AllTrue(df, hn::Gt(hn::LoadU(df, d + v), hn::Set(df, out_d[k - 1])))) {
        continue;
      }
      for (size_t j = v; j < v + lanes; ++j) {
        if (d[j] > out_d[k - 1]) continue;
        Insert(TotalOrderKey(d[j]), static_cast<uint32_t>(j), d[j], k, &size, keys, out_ids, out_d);
      }
    }
  }
  for (; i < n; ++i) {
    Insert(TotalOrderKey(d[i]), static_cast<uint32_t>(i), d[i], k, &size, keys, out_ids, out_d);
  }
  return size;
}

}  // namespace HWY_NAMESPACE
}  // namespace lar
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "simd/topk.h"

namespace lar {

HWY_EXPORT(SelectTopKImpl);

size_t SelectTopK(const float* distances, size_t n, size_t k, uint32_t* out_ids,
                  float* out_distances) {
  return HWY_DYNAMIC_DISPATCH(SelectTopKImpl)(distances, n, k, out_ids, out_distances);
}

}  // namespace lar
#endif  // HWY_ONCE
