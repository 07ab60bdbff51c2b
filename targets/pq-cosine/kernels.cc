// pq-cosine kernels: THE AGENT'S FILE. Everything about speed lives here;
// the contract is targets/pq-cosine/pq_cosine.h, the rules are program.md. Edit between
// the MUTABLE fences; the dispatch boilerplate outside them stays as is.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "targets/pq-cosine/kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <hwy/aligned_allocator.h>

#include "targets/pq-cosine/pq_cosine.h"

// ==== BEGIN MUTABLE: prepared state (compiled once) ======================
#ifndef LAR_TARGETS_PQ_COSINE_KERNELS_STATE_
#define LAR_TARGETS_PQ_COSINE_KERNELS_STATE_
namespace lar::pq_cosine {

// Vectors per block of the blocked code layout.
inline constexpr size_t kBlock = 16;
// Vectors per chunk of the byte-lookup layout, and per tile of the AVX3_DL
// scan (4096 partial sums = 16 KiB stay in L1 across all sub-vectors).
inline constexpr size_t kChunk = 64;
inline constexpr size_t kTile = 4096;

// Position of element e (0..63) of a chunk in "lookup order" (lut256-inl.h).
inline size_t LookupPosition(size_t e) {
  const size_t i = e / 16, l = (e % 16) / 4, t = e % 4;
  return 16 * l + 4 * i + t;
}
// Sub-vectors per pass of the scalar scan: 48 table rows = 48 KiB, the L1
// data cache of Zen 5, re-read while a pass sweeps all vectors (48 measured
// faster than 32 on AVX2: 0.161 vs 0.181 ns per lookup at (768,96)).
inline constexpr size_t kRowsPerPass = 48;

struct State final : Prepared {
  Shape shape;
  size_t n = 0;
  // The partition centroid the residual is taken against.
  hwy::AlignedFreeUniquePtr<float[]> centroid;
  // Codebook transposed per sub-vector to [M][s][256], so one load brings
  // the same element of 16 consecutive centroids.
  hwy::AlignedFreeUniquePtr<float[]> centroids;
  // Codes as Lance holds them, [M][N], for the in-register table scans.
  hwy::AlignedFreeUniquePtr<uint8_t[]> codes;
  // The same with each full chunk of 64 in lookup order (AVX3_DL scan).
  hwy::AlignedFreeUniquePtr<uint8_t[]> codes64;
  // Codes blocked as [N/16][M][16] (last block padded with 0) for the
  // scalar scan: one block's codes are contiguous.
  hwy::AlignedFreeUniquePtr<uint8_t[]> blocked;
};

}  // namespace lar::pq_cosine
#endif  // LAR_TARGETS_PQ_COSINE_KERNELS_STATE_
// ==== END MUTABLE ========================================================

HWY_BEFORE_NAMESPACE();
namespace lar::pq_cosine {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#include "simd/lut256-inl.h"

// ==== BEGIN MUTABLE: per-ISA kernels =====================================

// Normalize (sum of squares in order: it is D multiply-adds, too few to
// matter), then divide and subtract lane-wise: division is exact per lane,
// so the residual is bit-identical to Lance's.
void QueryResidualImpl(Prepared& prepared, const float* HWY_RESTRICT query,
                       float* HWY_RESTRICT residual) {
  const State& st = static_cast<const State&>(prepared);
  const size_t dim = st.shape.dim;
  float sum = 0.0f;
  for (size_t i = 0; i < dim; ++i) sum += query[i] * query[i];
  const hn::ScalableTag<float> d;
  const size_t lanes = hn::Lanes(d);
  const auto norm = hn::Sqrt(hn::Set(d, sum));
  size_t i = 0;
  for (; i + lanes <= dim; i += lanes) {
    const auto unit = hn::Div(hn::LoadU(d, query + i), norm);
    hn::StoreU(hn::Sub(unit, hn::Load(d, st.centroid.get() + i)), d, residual + i);
  }
  const float scalar_norm = hn::GetLane(norm);
  for (; i < dim; ++i) residual[i] = query[i] / scalar_norm - st.centroid[i];
}

// Lance's l2 order per table entry, vectorized across centroids: the tail
// elements (s mod 16) summed first, then 16 lane sums (element i, i+16, ...)
// added left to right. Mul and Add stay separate (no FMA), so every entry is
// bit-identical to the reference.
void DistanceTableImpl(Prepared& prepared, const float* HWY_RESTRICT query,
                       float* HWY_RESTRICT table) {
  const State& st = static_cast<const State&>(prepared);
  const hn::ScalableTag<float> d;
  const size_t lanes = hn::Lanes(d);
  const size_t s = st.shape.sub_dim();
  const size_t full = s / 16 * 16;
  for (size_t m = 0; m < st.shape.num_sub_vectors; ++m) {
    const float* q = query + m * s;
    const float* c = st.centroids.get() + m * s * kNumCentroids;
    for (size_t k = 0; k < kNumCentroids; k += lanes) {
      auto sq = [&](size_t i) {
        const auto diff = hn::Sub(hn::Set(d, q[i]), hn::Load(d, c + i * kNumCentroids + k));
        return hn::Mul(diff, diff);
      };
      auto tail = hn::Zero(d);
      for (size_t i = full; i < s; ++i) tail = hn::Add(tail, sq(i));
      if (full != 0) {
        auto sum = hn::Zero(d);
        for (size_t i = 0; i < 16; ++i) {
          auto lane = sq(i);
          for (size_t j = i + 16; j < full; j += 16) lane = hn::Add(lane, sq(j));
          sum = i == 0 ? lane : hn::Add(sum, lane);
        }
        tail = hn::Add(tail, sum);
      }
      hn::StoreU(tail, d, table + m * kNumCentroids + k);
    }
  }
}

#if LAR_HAVE_BYTE_LUT256
// AVX3_DL: tiles of 4096 vectors; per sub-vector the table row becomes 16
// registers of byte planes and each 64 codes cost 8 byte permutes. Sums run
// in m order from the first term: bit-identical to Lance.
void DistancesImpl(Prepared& prepared, const float* HWY_RESTRICT table, float* HWY_RESTRICT out) {
  const State& st = static_cast<const State&>(prepared);
  const hn::ScalableTag<float> df;
  const size_t n = st.n;
  const size_t num_m = st.shape.num_sub_vectors;
  const size_t full = n / kChunk * kChunk;
  for (size_t j0 = 0; j0 < full; j0 += kTile) {
    const size_t j1 = j0 + kTile < full ? j0 + kTile : full;
    for (size_t m = 0; m < num_m; ++m) {
      const BytePlanes256 t = ToBytePlanes256(table + m * kNumCentroids);
      const uint8_t* c = st.codes64.get() + m * n;
      for (size_t j = j0; j < j1; j += kChunk) {
        hn::Vec512<float> v[4];
        Lookup64(t, c + j, v);
        for (size_t i = 0; i < 4; ++i) {
          float* o = out + j + 16 * i;
          hn::StoreU(m == 0 ? v[i] : hn::Add(hn::LoadU(df, o), v[i]), df, o);
        }
      }
    }
  }
  for (size_t j = full; j < n; ++j) {
    float sum = 0.0f;
    for (size_t m = 0; m < num_m; ++m) {
      sum += table[m * kNumCentroids + st.codes[m * n + j]];
    }
    out[j] = sum;
  }
}
#elif LAR_HAVE_LUT256
// AVX-512: sub-vector outer, vectors inner (Lance's loop order), the table
// row in 16 registers and each lookup done by permutes. Sums run in m order
// from the first term, so results are bit-identical to Lance.
void DistancesImpl(Prepared& prepared, const float* HWY_RESTRICT table, float* HWY_RESTRICT out) {
  const State& st = static_cast<const State&>(prepared);
  const hn::ScalableTag<float> df;
  const hn::ScalableTag<int32_t> di;
  const hn::Rebind<uint8_t, decltype(di)> d8;
  const size_t n = st.n;
  const size_t full = n / 32 * 32;
  for (size_t m = 0; m < st.shape.num_sub_vectors; ++m) {
    const float* row = table + m * kNumCentroids;
    const uint8_t* c = st.codes.get() + m * n;
    const Table256 t = LoadTable256(row);
    size_t j = 0;
    for (; j < full; j += 32) {
      // Two blocks per iteration: independent permute chains overlap.
      const auto v0 = Lookup256(t, hn::PromoteTo(di, hn::LoadU(d8, c + j)));
      const auto v1 = Lookup256(t, hn::PromoteTo(di, hn::LoadU(d8, c + j + 16)));
      if (m == 0) {
        hn::StoreU(v0, df, out + j);
        hn::StoreU(v1, df, out + j + 16);
      } else {
        hn::StoreU(hn::Add(hn::LoadU(df, out + j), v0), df, out + j);
        hn::StoreU(hn::Add(hn::LoadU(df, out + j + 16), v1), df, out + j + 16);
      }
    }
    for (; j < n; ++j) out[j] = m == 0 ? row[c[j]] : out[j] + row[c[j]];
  }
}
#else
// Other ISAs: scalar lookups, which beat hardware gathers on Zen 5 (on an
// Intel Xeon, model 167, gathers won for pq-l2: program.md). Each block of
// 16 vectors keeps 16 scalar sums in registers and walks its contiguous
// codes; table rows are taken kRowsPerPass at a time so they stay in L1.
// Sums run in m order: bit-identical to Lance.
void DistancesImpl(Prepared& prepared, const float* HWY_RESTRICT table, float* HWY_RESTRICT out) {
  const State& st = static_cast<const State&>(prepared);
  const size_t n = st.n;
  const size_t num_m = st.shape.num_sub_vectors;
  for (size_t m0 = 0; m0 < num_m; m0 += kRowsPerPass) {
    const size_t m1 = m0 + kRowsPerPass < num_m ? m0 + kRowsPerPass : num_m;
    for (size_t j = 0; j < n; j += kBlock) {
      const uint8_t* c = st.blocked.get() + j * num_m + m0 * kBlock;
      float acc[kBlock] = {};
      const size_t valid = n - j < kBlock ? n - j : kBlock;
      if (m0 != 0) {
        for (size_t l = 0; l < valid; ++l) acc[l] = out[j + l];
      }
      for (size_t m = m0; m < m1; ++m, c += kBlock) {
        const float* row = table + m * kNumCentroids;
        uint64_t lo, hi;
        __builtin_memcpy(&lo, c, 8);
        __builtin_memcpy(&hi, c + 8, 8);
        for (size_t l = 0; l < 8; ++l) acc[l] += row[(lo >> (8 * l)) & 0xFF];
        for (size_t l = 0; l < 8; ++l) acc[8 + l] += row[(hi >> (8 * l)) & 0xFF];
      }
      for (size_t l = 0; l < valid; ++l) out[j + l] = acc[l];
    }
  }
}
#endif

// ==== END MUTABLE ========================================================

int64_t KernelTargetImpl() { return HWY_TARGET; }

}  // namespace HWY_NAMESPACE
}  // namespace lar::pq_cosine
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace lar::pq_cosine {

HWY_EXPORT(QueryResidualImpl);
HWY_EXPORT(DistanceTableImpl);
HWY_EXPORT(DistancesImpl);
HWY_EXPORT(KernelTargetImpl);

// ==== BEGIN MUTABLE: untimed preparation ================================
std::unique_ptr<Prepared> Prepare(const Shape& shape, const float* HWY_RESTRICT codebook,
                                  const uint8_t* HWY_RESTRICT codes, size_t num_vectors,
                                  const float* HWY_RESTRICT centroid) {
  auto st = std::make_unique<State>();
  st->shape = shape;
  st->n = num_vectors;
  st->centroid = hwy::AllocateAligned<float>(shape.dim + 16);
  for (size_t i = 0; i < shape.dim; ++i) st->centroid[i] = centroid[i];
  const size_t num_m = shape.num_sub_vectors;
  const size_t s = shape.sub_dim();
  st->centroids = hwy::AllocateAligned<float>(num_m * s * kNumCentroids);
  for (size_t m = 0; m < num_m; ++m) {
    for (size_t k = 0; k < kNumCentroids; ++k) {
      for (size_t i = 0; i < s; ++i) {
        st->centroids[(m * s + i) * kNumCentroids + k] = codebook[(m * kNumCentroids + k) * s + i];
      }
    }
  }
  // +64: the in-register scan loads 16 codes at a time.
  st->codes = hwy::AllocateAligned<uint8_t>(num_m * num_vectors + 64);
  for (size_t i = 0; i < num_m * num_vectors; ++i) st->codes[i] = codes[i];
  st->codes64 = hwy::AllocateAligned<uint8_t>(num_m * num_vectors + 64);
  const size_t full = num_vectors / kChunk * kChunk;
  for (size_t m = 0; m < num_m; ++m) {
    const uint8_t* src = codes + m * num_vectors;
    uint8_t* dst = st->codes64.get() + m * num_vectors;
    for (size_t j = 0; j < full; ++j) {
      dst[j - j % kChunk + LookupPosition(j % kChunk)] = src[j];
    }
    for (size_t j = full; j < num_vectors; ++j) dst[j] = src[j];
  }
  const size_t blocks = (num_vectors + kBlock - 1) / kBlock;
  st->blocked = hwy::AllocateAligned<uint8_t>(blocks * num_m * kBlock + 64);
  for (size_t i = 0; i < blocks * num_m * kBlock; ++i) st->blocked[i] = 0;
  for (size_t m = 0; m < num_m; ++m) {
    for (size_t j = 0; j < num_vectors; ++j) {
      st->blocked[(j / kBlock) * num_m * kBlock + m * kBlock + j % kBlock] =
          codes[m * num_vectors + j];
    }
  }
  return st;
}
// ==== END MUTABLE ========================================================

void QueryResidual(Prepared& prepared, const float* HWY_RESTRICT query,
                   float* HWY_RESTRICT residual) {
  HWY_DYNAMIC_DISPATCH(QueryResidualImpl)(prepared, query, residual);
}

void DistanceTable(Prepared& prepared, const float* HWY_RESTRICT query, float* HWY_RESTRICT table) {
  HWY_DYNAMIC_DISPATCH(DistanceTableImpl)(prepared, query, table);
}

void Distances(Prepared& prepared, const float* HWY_RESTRICT table, float* HWY_RESTRICT distances) {
  HWY_DYNAMIC_DISPATCH(DistancesImpl)(prepared, table, distances);
}

int64_t KernelTarget() { return HWY_DYNAMIC_DISPATCH(KernelTargetImpl)(); }

}  // namespace lar::pq_cosine
#endif  // HWY_ONCE
