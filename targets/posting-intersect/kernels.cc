// posting-intersect kernels: THE AGENT'S FILE. Everything about speed lives
// here; the contract is targets/posting-intersect/posting_intersect.h, the
// rules are program.md. Edit between the MUTABLE fences; the dispatch
// boilerplate outside them stays as is.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "targets/posting-intersect/kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "targets/posting-intersect/posting_intersect.h"

// ==== BEGIN MUTABLE: prepared state (compiled once) ======================
#ifndef LAR_TARGETS_POSTING_INTERSECT_KERNELS_STATE_
#define LAR_TARGETS_POSTING_INTERSECT_KERNELS_STATE_
#include <algorithm>
#include <cstring>
#include <vector>

namespace lar::posting_intersect {

// A pair whose length ratio reaches this is intersected by advancing a
// cursor in the long list for each id of the short one (SIMD counting,
// then galloping: O(n_short log ratio)) instead of a merge (O(n_short +
// n_long)).
inline constexpr size_t kGallopRatio = 16;

struct State final : Prepared {
  Shape shape;
  std::vector<uint32_t> scratch;  // intermediate results of K >= 3
  std::vector<List> order;        // the lists, shortest first
};

// The first position in b[0, n) whose id is >= x (n if none), by a
// branch-free binary search: the compiler turns the halving step into a
// conditional move, so an unpredictable comparison costs no misprediction.
inline size_t LowerBound(const uint32_t* b, size_t n, uint32_t x) {
  if (n == 0) return 0;
  const uint32_t* base = b;
  while (n > 1) {
    const size_t half = n / 2;
    base = base[half] < x ? base + half : base;
    n -= half;
  }
  return static_cast<size_t>(base - b) + (*base < x ? 1 : 0);
}

}  // namespace lar::posting_intersect
#endif  // LAR_TARGETS_POSTING_INTERSECT_KERNELS_STATE_
// ==== END MUTABLE ========================================================

HWY_BEFORE_NAMESPACE();
namespace lar::posting_intersect {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#include "simd/mask_bits-inl.h"

// ==== BEGIN MUTABLE: per-ISA kernels =====================================

// Emits the ids of a's block (vector va at a + i) that `hit` selects, in
// order. AVX-512 compresses them in a register and stores exactly their
// count (a masked store: out has no room to spare); elsewhere the set bits
// are walked one by one, which costs nothing when nothing matched.
template <class D>
HWY_INLINE size_t Emit(D d, hn::Vec<D> va, hn::Mask<D> hit, const uint32_t* HWY_RESTRICT a,
                       uint32_t* HWY_RESTRICT out) {
#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
  (void)a;
  const size_t count = hn::CountTrue(d, hit);
  hn::BlendedStore(hn::Compress(va, hit), hn::FirstN(d, count), d, out);
  return count;
#else
  (void)va;
  size_t n = 0;
  for (uint64_t bits = MaskBits(d, hit); bits != 0; bits &= bits - 1) {
    out[n++] = a[static_cast<size_t>(__builtin_ctzll(bits))];
  }
  return n;
#endif
}

// Block merge of two lists of similar length: a block of W ids of a (one
// vector) against a block of W ids of b, every pair compared at once (W
// broadcasts of b's ids, W equality compares OR-ed). The matches of a's
// block are emitted in order; then the block with the smaller last id
// moves on (both when equal), without a branch. An id of a is compared
// with every block of b that can hold it, so nothing is missed, and b's
// ids are unique, so nothing is emitted twice. Blocks wholly below the
// other list's next id are skipped without compares (lists of different
// density). The remaining ids go through a branch-free scalar merge.
size_t BlockMerge(const uint32_t* HWY_RESTRICT a, size_t na, const uint32_t* HWY_RESTRICT b,
                  size_t nb, uint32_t* HWY_RESTRICT out) {
  const hn::ScalableTag<uint32_t> d;
  // Lanes, not MaxLanes: on SVE the vector length is known only at run
  // time (MaxLanes is the 2048-bit bound); on x86 this is a constant.
  const size_t lanes = hn::Lanes(d);
  size_t i = 0, j = 0, n = 0;
  while (i + lanes <= na && j + lanes <= nb) {
    while (b[j + lanes - 1] < a[i]) {
      j += lanes;
      if (j + lanes > nb) goto tail;
    }
    while (a[i + lanes - 1] < b[j]) {
      i += lanes;
      if (i + lanes > na) goto tail;
    }
    {
      const auto va = hn::LoadU(d, a + i);
      auto hit = hn::Eq(va, hn::Set(d, b[j]));
      for (size_t t = 1; t < lanes; ++t) hit = hn::Or(hit, hn::Eq(va, hn::Set(d, b[j + t])));
      n += Emit(d, va, hit, a + i, out + n);
      const uint32_t a_last = a[i + lanes - 1], b_last = b[j + lanes - 1];
      i += a_last <= b_last ? lanes : 0;
      j += b_last <= a_last ? lanes : 0;
    }
  }
tail:
  while (i < na && j < nb) {
    const uint32_t av = a[i], bv = b[j];
    out[n] = av;
    n += av == bv ? 1 : 0;
    i += av <= bv ? 1 : 0;
    j += bv <= av ? 1 : 0;
  }
  return n;
}

// The first position p >= j with b[p] >= x (nb if none). Short distances,
// the common case of a moderately skewed pair, by SIMD counting: up to
// kScanBlocks blocks of 4 vectors, the last id of each tells whether x
// lies inside, and inside, the count of ids < x is the offset. Longer
// ones by galloping (exponential, then binary search).
HWY_INLINE size_t Advance(const uint32_t* HWY_RESTRICT b, size_t nb, size_t j, uint32_t x) {
  const hn::ScalableTag<uint32_t> d;
  const size_t lanes = hn::Lanes(d);  // a run-time value on SVE
  const size_t block = 4 * lanes;
  constexpr size_t kScanBlocks = 8;
  for (size_t s = 0; s < kScanBlocks && j + block <= nb; ++s, j += block) {
    if (b[j + block - 1] < x) continue;
    const auto vx = hn::Set(d, x);
    const size_t below = hn::CountTrue(d, hn::Lt(hn::LoadU(d, b + j), vx)) +
                         hn::CountTrue(d, hn::Lt(hn::LoadU(d, b + j + lanes), vx)) +
                         hn::CountTrue(d, hn::Lt(hn::LoadU(d, b + j + 2 * lanes), vx)) +
                         hn::CountTrue(d, hn::Lt(hn::LoadU(d, b + j + 3 * lanes), vx));
    return j + below;
  }
  if (j >= nb || b[j] >= x) return j;
  size_t bound = 1;
  while (j + bound < nb && b[j + bound] < x) bound *= 2;
  // b[j + bound / 2] < x, and b[j + bound] >= x or past the end.
  const size_t from = j + bound / 2 + 1;
  const size_t to = std::min(j + bound + 1, nb);
  return from + LowerBound(b + from, to - from, x);
}

// A short list against a much longer one: each id of a advances b's
// cursor (Advance). The write is unconditional (the count moves only on a
// match): out has room for all of a.
size_t Skewed(const uint32_t* HWY_RESTRICT a, size_t na, const uint32_t* HWY_RESTRICT b, size_t nb,
              uint32_t* HWY_RESTRICT out) {
  size_t n = 0, j = 0;
  for (size_t i = 0; i < na && j < nb; ++i) {
    const uint32_t x = a[i];
    j = Advance(b, nb, j, x);
    out[n] = x;
    n += (j < nb && b[j] == x) ? 1 : 0;
  }
  return n;
}

// One pairwise step; a is the shorter list (na <= nb).
size_t Pair(const uint32_t* HWY_RESTRICT a, size_t na, const uint32_t* HWY_RESTRICT b, size_t nb,
            uint32_t* HWY_RESTRICT out) {
  if (na == 0) return 0;
  if (nb / na >= kGallopRatio) return Skewed(a, na, b, nb, out);
  return BlockMerge(a, na, b, nb, out);
}

// K-way AND as shortest-first pairwise steps (SvS): every intermediate
// result is no longer than the shortest list, so it fits in `out`, and the
// buffers alternate so that the last step writes into `out`.
size_t IntersectImpl(Prepared& prepared, const List* HWY_RESTRICT lists, size_t count,
                     uint32_t* HWY_RESTRICT out) {
  State& st = static_cast<State&>(prepared);
  if (count == 0) return 0;
  if (count == 1) {
    if (lists[0].size > 0) std::memcpy(out, lists[0].ids, lists[0].size * sizeof(uint32_t));
    return lists[0].size;
  }
  List* order = st.order.data();
  for (size_t k = 0; k < count; ++k) {
    size_t at = k;
    for (; at > 0 && order[at - 1].size > lists[k].size; --at) order[at] = order[at - 1];
    order[at] = lists[k];
  }
  const uint32_t* cur = order[0].ids;
  size_t n = order[0].size;
  for (size_t s = 0; s + 1 < count && n > 0; ++s) {
    uint32_t* dst = (count - 2 - s) % 2 == 0 ? out : st.scratch.data();
    n = Pair(cur, n, order[s + 1].ids, order[s + 1].size, dst);
    cur = dst;
  }
  // An empty step ends early, possibly in scratch: nothing to copy then.
  return cur == out ? n : 0;
}

// ==== END MUTABLE ========================================================

int64_t KernelTargetImpl() { return HWY_TARGET; }

}  // namespace HWY_NAMESPACE
}  // namespace lar::posting_intersect
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace lar::posting_intersect {

HWY_EXPORT(IntersectImpl);
HWY_EXPORT(KernelTargetImpl);

// ==== BEGIN MUTABLE: untimed preparation ================================
std::unique_ptr<Prepared> Prepare(const Shape& shape) {
  auto st = std::make_unique<State>();
  st->shape = shape;
  st->scratch.resize(shape.max_length + 1);
  st->order.resize(shape.lists + 1);
  return st;
}
// ==== END MUTABLE ========================================================

size_t Intersect(Prepared& prepared, const List* HWY_RESTRICT lists, size_t count,
                 uint32_t* HWY_RESTRICT out) {
  return HWY_DYNAMIC_DISPATCH(IntersectImpl)(prepared, lists, count, out);
}

int64_t KernelTarget() { return HWY_DYNAMIC_DISPATCH(KernelTargetImpl)(); }

}  // namespace lar::posting_intersect
#endif  // HWY_ONCE
