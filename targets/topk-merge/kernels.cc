// topk-merge kernels: THE AGENT'S FILE. Everything about speed lives here; the
// contract is targets/topk-merge/topk_merge.h, the rules are program.md. Edit between
// the MUTABLE fences; the dispatch boilerplate outside them stays as is.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "targets/topk-merge/kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <hwy/aligned_allocator.h>

#include "targets/topk-merge/topk_merge.h"

// ==== BEGIN MUTABLE: prepared state (compiled once) ======================
#ifndef LAR_TARGETS_TOPK_MERGE_KERNELS_STATE_
#define LAR_TARGETS_TOPK_MERGE_KERNELS_STATE_
#include <algorithm>
#include <cstring>
#include <vector>

namespace lar::topk_merge {

// Room past every buffer for CompressStore's full-vector writes and the
// block minima rounded up to whole vectors: up to 64 int32 lanes (a
// 2048-bit SVE vector; 16 on AVX-512).
inline constexpr size_t kSlack = 5 * 16;
// Survivor counts up to this are sorted by insertion, larger by radix.
inline constexpr size_t kInsertionMax = 48;

struct Head {
  uint32_t key;  // total-order key, as unsigned
  uint32_t list;
  uint64_t row_id;
  size_t pos;
};

struct State final : Prepared {
  Shape shape;
  hwy::AlignedFreeUniquePtr<int32_t[]> keys;   // survivors' signed keys
  hwy::AlignedFreeUniquePtr<int32_t[]> index;  // and their positions
  hwy::AlignedFreeUniquePtr<int32_t[]> mins;   // block minima
  std::vector<uint64_t> packed, spare;         // (unsigned key << 32 | index)
  std::vector<Head> heads;
};

// f32::total_cmp as an unsigned key: a plain integer compare.
inline uint32_t UnsignedKey(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, sizeof(bits));
  return bits ^ (static_cast<uint32_t>(static_cast<int32_t>(bits) >> 31) | 0x80000000u);
}

// Orders packed candidates by (key, row id): the key is the high word; the
// row id is looked up only on a tie.
struct PackedLess {
  const uint64_t* row_ids;
  bool operator()(uint64_t a, uint64_t b) const {
    if ((a >> 32) != (b >> 32)) return a < b;
    return row_ids[static_cast<uint32_t>(a)] < row_ids[static_cast<uint32_t>(b)];
  }
};

struct RowIdLess {
  const uint64_t* row_ids;
  bool operator()(uint64_t a, uint64_t b) const {
    return row_ids[static_cast<uint32_t>(a)] < row_ids[static_cast<uint32_t>(b)];
  }
};

// Sorts `count` packed candidates by key (stable LSD radix, 8-bit digits;
// digits every key shares are skipped), then each run of equal keys that
// reaches into the first `k` by row id. Returns the sorted array (`a` or
// `b`).
inline uint64_t* SortCandidates(uint64_t* a, uint64_t* b, size_t count, size_t k,
                                const uint64_t* row_ids) {
  if (count <= kInsertionMax) {
    std::sort(a, a + count, PackedLess{row_ids});
    return a;
  }
  uint32_t hist[4][256] = {};
  for (size_t j = 0; j < count; ++j) {
    const uint32_t key = static_cast<uint32_t>(a[j] >> 32);
    ++hist[0][key & 255];
    ++hist[1][(key >> 8) & 255];
    ++hist[2][(key >> 16) & 255];
    ++hist[3][key >> 24];
  }
  for (int pass = 0; pass < 4; ++pass) {
    const int shift = 32 + 8 * pass;
    uint32_t* h = hist[pass];
    if (h[(a[0] >> shift) & 255] == count) continue;
    uint32_t sum = 0;
    for (int d = 0; d < 256; ++d) {
      const uint32_t c = h[d];
      h[d] = sum;
      sum += c;
    }
    for (size_t j = 0; j < count; ++j) b[h[(a[j] >> shift) & 255]++] = a[j];
    std::swap(a, b);
  }
  const size_t limit = std::min(k, count);
  for (size_t start = 0; start < limit;) {
    size_t end = start + 1;
    while (end < count && (a[end] >> 32) == (a[start] >> 32)) ++end;
    if (end - start > 1) {
      // A run crossing the k-th place needs only its smallest row ids.
      const size_t stop = std::min(end, limit);
      if (stop < end) std::nth_element(a + start, a + stop - 1, a + end, RowIdLess{row_ids});
      std::sort(a + start, a + stop, RowIdLess{row_ids});
    }
    start = end;
  }
  return a;
}

// Lane permutations that move the selected lanes of a 4- or 8-lane
// vector to the front, by mask bits. Highway 1.0.3's own CompressStore for
// AVX2 and SSE4 keeps such a table as a local array that GCC copies onto
// the stack at every call (2 KiB per vector: measured 25x slower); these
// live in static storage.
template <size_t kLanes>
struct CompressTable {
  uint8_t lanes[1u << kLanes][kLanes] = {};
  constexpr CompressTable() {
    for (uint32_t bits = 0; bits < (1u << kLanes); ++bits) {
      size_t out = 0;
      for (uint8_t i = 0; i < kLanes; ++i) {
        if (bits & (1u << i)) lanes[bits][out++] = i;
      }
      for (uint8_t i = 0; i < kLanes; ++i) {
        if (!(bits & (1u << i))) lanes[bits][out++] = i;
      }
    }
  }
};
alignas(64) inline constexpr CompressTable<4> kCompress4{};
alignas(64) inline constexpr CompressTable<8> kCompress8{};

inline bool HeadLess(const Head& a, const Head& b) {
  return a.key != b.key ? a.key < b.key : a.row_id < b.row_id;
}

}  // namespace lar::topk_merge
#endif  // LAR_TARGETS_TOPK_MERGE_KERNELS_STATE_
// ==== END MUTABLE ========================================================

HWY_BEFORE_NAMESPACE();
namespace lar::topk_merge {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// ==== BEGIN MUTABLE: per-ISA kernels =====================================

// Select in two SIMD passes and one small sort. (1) Threshold: the
// candidates are viewed as m >= 2k interleaved blocks (element i belongs
// to block i mod m); the k-th smallest block minimum t bounds the k-th
// smallest candidate from above, because k blocks hold an element <= t.
// (2) Filter: every candidate with key <= t (ties may still win on row id)
// is compressed into a buffer: about 1.4k of them for random data. (3) The
// survivors are radix-sorted by key, tied runs by row id, and the first k
// gathered. Lance's heap instead pays a compare per row and a
// mispredicted sift per replacement.
size_t SelectImpl(Prepared& prepared, const float* HWY_RESTRICT distances,
                  const uint64_t* HWY_RESTRICT row_ids, size_t n, size_t k,
                  float* HWY_RESTRICT out_distances, uint64_t* HWY_RESTRICT out_row_ids) {
  State& st = static_cast<State&>(prepared);
  if (k == 0 || n == 0) return 0;
  const hn::ScalableTag<float> df;
  const hn::RebindToSigned<decltype(df)> di;
  const size_t lanes = hn::Lanes(di);
  auto key_of = [&](size_t at) {
    const auto x = hn::BitCast(di, hn::LoadU(df, distances + at));
    return hn::Xor(x, hn::And(hn::ShiftRight<31>(x), hn::Set(di, 0x7FFFFFFF)));
  };

  // (1) The threshold, when blocks hold at least 2 candidates each.
  int32_t threshold = INT32_MAX;
  const size_t m = (2 * k + lanes - 1) / lanes * lanes;
  if (n >= 2 * m) {
    int32_t* mins = st.mins.get();
    for (size_t j = 0; j < m; j += lanes) hn::Store(key_of(j), di, mins + j);
    const size_t chunks = n / m;
    for (size_t c = 1; c < chunks; ++c) {
      const size_t base = c * m;
      for (size_t j = 0; j < m; j += lanes) {
        hn::Store(hn::Min(hn::Load(di, mins + j), key_of(base + j)), di, mins + j);
      }
    }
    // A lambda, not std::less: a template instantiated here is compiled for
    // this ISA, and one shared instantiation would be picked by the linker
    // for every ISA (SIGILL on a CPU without it).
    std::nth_element(mins, mins + (k - 1), mins + m, [](int32_t a, int32_t b) { return a < b; });
    threshold = mins[k - 1];
  }

  // (2) The filter.
  int32_t* keys = st.keys.get();
  int32_t* index = st.index.get();
  size_t count = 0;
  const auto thr = hn::Set(di, threshold);
  // Iota once: Highway builds it through memory.
  const auto iota = hn::Iota(di, 0);
  auto keep = [&](decltype(hn::Zero(di)) key, decltype(hn::FirstN(di, 0)) pass, size_t at) {
    const auto positions = hn::Add(iota, hn::Set(di, static_cast<int32_t>(at)));
#if HWY_TARGET == HWY_AVX2 || HWY_TARGET == HWY_SSE4 || HWY_TARGET == HWY_SSSE3
    // Both vectors through one permutation from the static tables.
    uint8_t bits[8];
    hn::StoreMaskBits(di, pass, bits);
    const hn::Rebind<uint8_t, decltype(di)> d8;
    const uint8_t* perm = lanes == 8 ? kCompress8.lanes[bits[0]] : kCompress4.lanes[bits[0] & 15];
    const auto idx = hn::IndicesFromVec(di, hn::PromoteTo(di, hn::LoadU(d8, perm)));
    hn::StoreU(hn::TableLookupLanes(key, idx), di, keys + count);
    hn::StoreU(hn::TableLookupLanes(positions, idx), di, index + count);
    count += hn::CountTrue(di, pass);
#else
    const size_t added = hn::CompressStore(key, pass, di, keys + count);
    hn::CompressStore(positions, pass, di, index + count);
    count += added;
#endif
  };
  size_t i = 0;
  for (; i + 4 * lanes <= n; i += 4 * lanes) {
    const auto k0 = key_of(i), k1 = key_of(i + lanes);
    const auto k2 = key_of(i + 2 * lanes), k3 = key_of(i + 3 * lanes);
    const auto p0 = hn::Not(hn::Gt(k0, thr)), p1 = hn::Not(hn::Gt(k1, thr));
    const auto p2 = hn::Not(hn::Gt(k2, thr)), p3 = hn::Not(hn::Gt(k3, thr));
    if (hn::AllFalse(di, hn::Or(hn::Or(p0, p1), hn::Or(p2, p3)))) continue;
    keep(k0, p0, i);
    keep(k1, p1, i + lanes);
    keep(k2, p2, i + 2 * lanes);
    keep(k3, p3, i + 3 * lanes);
  }
  for (; i < n; ++i) {
    const int32_t key = static_cast<int32_t>(UnsignedKey(distances[i]) ^ 0x80000000u);
    if (key > threshold) continue;
    keys[count] = key;
    index[count] = static_cast<int32_t>(i);
    ++count;
  }

  // (3) Sort the survivors, gather the first k.
  uint64_t* packed = st.packed.data();
  for (size_t j = 0; j < count; ++j) {
    packed[j] = (static_cast<uint64_t>(static_cast<uint32_t>(keys[j]) ^ 0x80000000u) << 32) |
                static_cast<uint32_t>(index[j]);
  }
  const uint64_t* sorted = SortCandidates(packed, st.spare.data(), count, k, row_ids);
  const size_t size = std::min(k, count);
  for (size_t j = 0; j < size; ++j) {
    const uint32_t at = static_cast<uint32_t>(sorted[j]);
    out_distances[j] = distances[at];
    out_row_ids[j] = row_ids[at];
  }
  return size;
}

// Merge: the inputs are sorted, so a k-way merge through a min-heap of the
// lists' heads emits the answer in k pops (O(k log P)), where the
// reference offers every row of every list to a bounded heap.
size_t MergeImpl(Prepared& prepared, const List* HWY_RESTRICT lists, size_t count, size_t k,
                 float* HWY_RESTRICT out_distances, uint64_t* HWY_RESTRICT out_row_ids) {
  State& st = static_cast<State&>(prepared);
  if (k == 0) return 0;
  if (count == 1) {
    const size_t size = std::min(k, lists[0].size);
    std::memcpy(out_distances, lists[0].distances, size * sizeof(float));
    std::memcpy(out_row_ids, lists[0].row_ids, size * sizeof(uint64_t));
    return size;
  }
  Head* heap = st.heads.data();
  size_t live = 0;
  for (size_t l = 0; l < count; ++l) {
    if (lists[l].size == 0) continue;
    heap[live++] = {UnsignedKey(lists[l].distances[0]), static_cast<uint32_t>(l),
                    lists[l].row_ids[0], 0};
  }
  auto sift_down = [&](size_t pos) {
    const Head moving = heap[pos];
    for (;;) {
      size_t child = 2 * pos + 1;
      if (child >= live) break;
      if (child + 1 < live && HeadLess(heap[child + 1], heap[child])) ++child;
      if (!HeadLess(heap[child], moving)) break;
      heap[pos] = heap[child];
      pos = child;
    }
    heap[pos] = moving;
  };
  for (size_t pos = live / 2; pos-- > 0;) sift_down(pos);
  size_t out = 0;
  while (out < k && live > 0) {
    Head& top = heap[0];
    const List& list = lists[top.list];
    out_distances[out] = list.distances[top.pos];
    out_row_ids[out] = top.row_id;
    ++out;
    if (++top.pos < list.size) {
      top.key = UnsignedKey(list.distances[top.pos]);
      top.row_id = list.row_ids[top.pos];
    } else {
      heap[0] = heap[--live];
    }
    sift_down(0);
  }
  return out;
}

// ==== END MUTABLE ========================================================

int64_t KernelTargetImpl() { return HWY_TARGET; }

}  // namespace HWY_NAMESPACE
}  // namespace lar::topk_merge
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace lar::topk_merge {

HWY_EXPORT(SelectImpl);
HWY_EXPORT(MergeImpl);
HWY_EXPORT(KernelTargetImpl);

// ==== BEGIN MUTABLE: untimed preparation ================================
std::unique_ptr<Prepared> Prepare(const Shape& shape) {
  auto st = std::make_unique<State>();
  st->shape = shape;
  // Every candidate of a partition may survive the filter (all equal).
  const size_t room = shape.rows + kSlack;
  st->keys = hwy::AllocateAligned<int32_t>(room);
  st->index = hwy::AllocateAligned<int32_t>(room);
  st->mins = hwy::AllocateAligned<int32_t>(2 * shape.k + kSlack);
  st->packed.resize(room);
  st->spare.resize(room);
  st->heads.resize(shape.partitions);
  return st;
}
// ==== END MUTABLE ========================================================

size_t Select(Prepared& prepared, const float* HWY_RESTRICT distances,
              const uint64_t* HWY_RESTRICT row_ids, size_t n, size_t k,
              float* HWY_RESTRICT out_distances, uint64_t* HWY_RESTRICT out_row_ids) {
  return HWY_DYNAMIC_DISPATCH(SelectImpl)(prepared, distances, row_ids, n, k, out_distances,
                                          out_row_ids);
}

size_t Merge(Prepared& prepared, const List* HWY_RESTRICT lists, size_t count, size_t k,
             float* HWY_RESTRICT out_distances, uint64_t* HWY_RESTRICT out_row_ids) {
  return HWY_DYNAMIC_DISPATCH(MergeImpl)(prepared, lists, count, k, out_distances, out_row_ids);
}

int64_t KernelTarget() { return HWY_DYNAMIC_DISPATCH(KernelTargetImpl)(); }

}  // namespace lar::topk_merge
#endif  // HWY_ONCE
