// ivf-partition kernels: THE AGENT'S FILE. Everything about speed lives
// here; the contract is targets/ivf-partition/ivf_partition.h, the rules are
// program.md. Edit between the MUTABLE fences; the dispatch boilerplate
// outside them stays as is.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "targets/ivf-partition/kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <hwy/aligned_allocator.h>

#include "simd/topk.h"
#include "targets/ivf-partition/ivf_partition.h"

// ==== BEGIN MUTABLE: prepared state (compiled once) ======================
#ifndef LAR_TARGETS_IVF_PARTITION_KERNELS_STATE_
#define LAR_TARGETS_IVF_PARTITION_KERNELS_STATE_
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace lar::ivf_partition {

// Centroids per block: one 64-byte row of a block holds element d of 16
// consecutive centroids, so SIMD lanes run across centroids and every
// centroid keeps Lance's 16 lane sums without horizontal adds.
inline constexpr size_t kBlock = 16;
// SelectTopK keeps at most this many; beyond it, a full sort of indices.
inline constexpr size_t kMaxSelect = 1024;

struct State final : Prepared {
  Shape shape;
  size_t blocks = 0;
  hwy::AlignedFreeUniquePtr<float[]> data;  // [blocks][D][16], zero padded
  hwy::AlignedFreeUniquePtr<float[]> unit;  // the normalized query (cosine)
  std::vector<uint32_t> order;              // scratch for nprobes > kMaxSelect
};

inline int32_t TotalOrderKey(float v) {
  int32_t bits;
  std::memcpy(&bits, &v, sizeof(bits));
  return bits ^ ((bits >> 31) & 0x7FFFFFFF);
}

}  // namespace lar::ivf_partition
#endif  // LAR_TARGETS_IVF_PARTITION_KERNELS_STATE_
// ==== END MUTABLE ========================================================

HWY_BEFORE_NAMESPACE();
namespace lar::ivf_partition {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// ==== BEGIN MUTABLE: per-ISA kernels =====================================

// Distances of the 16 centroids of one block in Lance's order: the tail
// elements (D mod 16) summed first, then lane sums L_i over elements i,
// i+16, ... added left to right; Mul and Add stay separate. 16 accumulators
// (one per L_i) walk the block's rows in order, a group of `lanes`
// centroids at a time: sequential reads that prefetchers follow (2x faster
// than strided passes once C x D leaves L2, measured on AVX2). AVX-512 holds
// the whole block in one register; narrower ISAs take 2-16 groups and may
// keep some accumulators in L1.
#if HWY_TARGET == HWY_SCALAR
// One lane: the vector walk below would read the block 16 times, once per
// centroid. Instead every row is read once and its 16 centroids update
// their lane sums in a 16 x 16 array (the same per-centroid order).
template <bool kDot>
void BlockDistances(const float* HWY_RESTRICT block, const float* HWY_RESTRICT q, size_t dim,
                    float* HWY_RESTRICT out) {
  const size_t full = dim / 16 * 16;
  float tail[kBlock] = {};
  for (size_t i = full; i < dim; ++i) {
    const float* row = block + i * kBlock;
    for (size_t c = 0; c < kBlock; ++c) {
      const float t = kDot ? q[i] * row[c] : (q[i] - row[c]) * (q[i] - row[c]);
      tail[c] += t;
    }
  }
  float acc[16][kBlock] = {};
  for (size_t i = 0; i < full; ++i) {
    const float* row = block + i * kBlock;
    float* lane = acc[i % 16];
    for (size_t c = 0; c < kBlock; ++c) {
      const float t = kDot ? q[i] * row[c] : (q[i] - row[c]) * (q[i] - row[c]);
      lane[c] += t;
    }
  }
  for (size_t c = 0; c < kBlock; ++c) {
    float v = tail[c];
    if (full != 0) {
      float sum = acc[0][c];
      for (size_t l = 1; l < 16; ++l) sum += acc[l][c];
      v += sum;
    }
    out[c] = kDot ? 1.0f - v : v;
  }
}
#elif HWY_HAVE_SCALABLE
// SVE: the same walk, with two differences. A group is capped at the
// block's 16 centroids (a 2048-bit vector holds 64 floats), and the 16
// accumulators are named: sizeless SVE vectors cannot form an array.
template <bool kDot>
void BlockDistances(const float* HWY_RESTRICT block, const float* HWY_RESTRICT q, size_t dim,
                    float* HWY_RESTRICT out) {
  const hn::CappedTag<float, kBlock> d;
  const size_t lanes = hn::Lanes(d);
  const size_t full = dim / 16 * 16;
  for (size_t g = 0; g < kBlock; g += lanes) {
    auto term = [&](size_t i) {
      const auto x = hn::Load(d, block + i * kBlock + g);
      if (kDot) return hn::Mul(hn::Set(d, q[i]), x);
      const auto diff = hn::Sub(hn::Set(d, q[i]), x);
      return hn::Mul(diff, diff);
    };
    auto tail = hn::Zero(d);
    for (size_t i = full; i < dim; ++i) tail = hn::Add(tail, term(i));
    if (full != 0) {
      auto a0 = term(0), a1 = term(1), a2 = term(2), a3 = term(3);
      auto a4 = term(4), a5 = term(5), a6 = term(6), a7 = term(7);
      auto a8 = term(8), a9 = term(9), a10 = term(10), a11 = term(11);
      auto a12 = term(12), a13 = term(13), a14 = term(14), a15 = term(15);
      for (size_t j = 16; j < full; j += 16) {
        a0 = hn::Add(a0, term(j));
        a1 = hn::Add(a1, term(j + 1));
        a2 = hn::Add(a2, term(j + 2));
        a3 = hn::Add(a3, term(j + 3));
        a4 = hn::Add(a4, term(j + 4));
        a5 = hn::Add(a5, term(j + 5));
        a6 = hn::Add(a6, term(j + 6));
        a7 = hn::Add(a7, term(j + 7));
        a8 = hn::Add(a8, term(j + 8));
        a9 = hn::Add(a9, term(j + 9));
        a10 = hn::Add(a10, term(j + 10));
        a11 = hn::Add(a11, term(j + 11));
        a12 = hn::Add(a12, term(j + 12));
        a13 = hn::Add(a13, term(j + 13));
        a14 = hn::Add(a14, term(j + 14));
        a15 = hn::Add(a15, term(j + 15));
      }
      auto sum = hn::Add(hn::Add(hn::Add(a0, a1), a2), a3);
      sum = hn::Add(hn::Add(hn::Add(hn::Add(sum, a4), a5), a6), a7);
      sum = hn::Add(hn::Add(hn::Add(hn::Add(sum, a8), a9), a10), a11);
      sum = hn::Add(hn::Add(hn::Add(hn::Add(sum, a12), a13), a14), a15);
      tail = hn::Add(tail, sum);
    }
    if (kDot) tail = hn::Sub(hn::Set(d, 1.0f), tail);
    hn::Store(tail, d, out + g);
  }
}
#else
template <bool kDot>
void BlockDistances(const float* HWY_RESTRICT block, const float* HWY_RESTRICT q, size_t dim,
                    float* HWY_RESTRICT out) {
  const hn::ScalableTag<float> d;
  const size_t lanes = hn::Lanes(d);
  const size_t full = dim / 16 * 16;
  for (size_t g = 0; g < kBlock; g += lanes) {
    auto term = [&](size_t i) {
      const auto x = hn::Load(d, block + i * kBlock + g);
      if (kDot) return hn::Mul(hn::Set(d, q[i]), x);
      const auto diff = hn::Sub(hn::Set(d, q[i]), x);
      return hn::Mul(diff, diff);
    };
    auto tail = hn::Zero(d);
    for (size_t i = full; i < dim; ++i) tail = hn::Add(tail, term(i));
    if (full != 0) {
      hn::Vec<decltype(d)> acc[16];
      for (size_t i = 0; i < 16; ++i) acc[i] = term(i);
      for (size_t j = 16; j < full; j += 16) {
        for (size_t i = 0; i < 16; ++i) acc[i] = hn::Add(acc[i], term(j + i));
      }
      auto sum = acc[0];
      for (size_t i = 1; i < 16; ++i) sum = hn::Add(sum, acc[i]);
      tail = hn::Add(tail, sum);
    }
    if (kDot) tail = hn::Sub(hn::Set(d, 1.0f), tail);
    hn::Store(tail, d, out + g);
  }
}
#endif

size_t FindPartitionsImpl(Prepared& prepared, const float* HWY_RESTRICT query,
                          float* HWY_RESTRICT distances, uint32_t* HWY_RESTRICT ids,
                          float* HWY_RESTRICT nearest) {
  State& st = static_cast<State&>(prepared);
  const size_t dim = st.shape.dim;
  const size_t c = st.shape.num_centroids;
  const float* q = query;
  if (st.shape.metric == Metric::kCosine) {
    // Normalize by division (exact per lane), sum of squares in order.
    float sum = 0.0f;
    for (size_t i = 0; i < dim; ++i) sum += query[i] * query[i];
    const float norm = std::sqrt(sum);
    for (size_t i = 0; i < dim; ++i) st.unit[i] = query[i] / norm;
    q = st.unit.get();
  }
  HWY_ALIGN float tile[kBlock];
  for (size_t b = 0; b < st.blocks; ++b) {
    const float* block = st.data.get() + b * dim * kBlock;
    if (st.shape.metric == Metric::kDot) {
      BlockDistances<true>(block, q, dim, tile);
    } else {
      BlockDistances<false>(block, q, dim, tile);
    }
    const size_t valid = std::min(kBlock, c - b * kBlock);
    for (size_t i = 0; i < valid; ++i) distances[b * kBlock + i] = tile[i];
  }
  const size_t limit = std::min(st.shape.nprobes, c);
  if (limit <= kMaxSelect) return SelectTopK(distances, c, limit, ids, nearest);
  for (size_t k = 0; k < c; ++k) st.order[k] = static_cast<uint32_t>(k);
  auto less = [&](uint32_t a, uint32_t b) {
    const int32_t ka = TotalOrderKey(distances[a]), kb = TotalOrderKey(distances[b]);
    return ka != kb ? ka < kb : a < b;
  };
  std::partial_sort(st.order.begin(), st.order.begin() + static_cast<std::ptrdiff_t>(limit),
                    st.order.end(), less);
  for (size_t i = 0; i < limit; ++i) {
    ids[i] = st.order[i];
    nearest[i] = distances[st.order[i]];
  }
  return limit;
}

// ==== END MUTABLE ========================================================

int64_t KernelTargetImpl() { return HWY_TARGET; }

}  // namespace HWY_NAMESPACE
}  // namespace lar::ivf_partition
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace lar::ivf_partition {

HWY_EXPORT(FindPartitionsImpl);
HWY_EXPORT(KernelTargetImpl);

// ==== BEGIN MUTABLE: untimed preparation ================================
std::unique_ptr<Prepared> Prepare(const Shape& shape, const float* HWY_RESTRICT centroids) {
  auto st = std::make_unique<State>();
  st->shape = shape;
  const size_t dim = shape.dim;
  st->blocks = (shape.num_centroids + kBlock - 1) / kBlock;
  st->data = hwy::AllocateAligned<float>(st->blocks * dim * kBlock + kBlock);
  std::fill_n(st->data.get(), st->blocks * dim * kBlock, 0.0f);
  for (size_t k = 0; k < shape.num_centroids; ++k) {
    float* block = st->data.get() + (k / kBlock) * dim * kBlock;
    for (size_t i = 0; i < dim; ++i) block[i * kBlock + k % kBlock] = centroids[k * dim + i];
  }
  st->unit = hwy::AllocateAligned<float>(dim + kBlock);
  if (std::min(shape.nprobes, shape.num_centroids) > kMaxSelect) {
    st->order.resize(shape.num_centroids);
  }
  return st;
}
// ==== END MUTABLE ========================================================

size_t FindPartitions(Prepared& prepared, const float* HWY_RESTRICT query,
                      float* HWY_RESTRICT distances, uint32_t* HWY_RESTRICT ids,
                      float* HWY_RESTRICT nearest) {
  return HWY_DYNAMIC_DISPATCH(FindPartitionsImpl)(prepared, query, distances, ids, nearest);
}

int64_t KernelTarget() { return HWY_DYNAMIC_DISPATCH(KernelTargetImpl)(); }

}  // namespace lar::ivf_partition
#endif  // HWY_ONCE
