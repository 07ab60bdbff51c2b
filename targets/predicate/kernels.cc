// predicate kernels: THE AGENT'S FILE. Everything about speed lives here; the
// contract is targets/predicate/predicate.h, the rules are program.md. Edit
// between the MUTABLE fences; the dispatch boilerplate outside them stays as is.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "targets/predicate/kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "targets/predicate/predicate.h"

// ==== BEGIN MUTABLE: prepared state (compiled once) ======================
#ifndef LAR_TARGETS_PREDICATE_KERNELS_STATE_
#define LAR_TARGETS_PREDICATE_KERNELS_STATE_
#include <algorithm>
#include <cstring>
#include <type_traits>

namespace lar::predicate {

// The validity bits of 64-row word w: one unaligned u64 load shifted by
// the slice's bit offset (plus the next byte when the offset is not a
// multiple of 8), and a bounded copy for the words whose bytes would run
// past the buffer's ceil((offset + n) / 8) bytes.
class ValidityReader {
 public:
  explicit ValidityReader(const Column& c)
      : bytes_(c.validity + c.validity_offset / 8),
        shift_(c.validity_offset % 8),
        end_((c.validity_offset % 8 + c.n + 7) / 8) {}

  uint64_t Word(size_t w) const {
    const size_t at = 8 * w;
    const size_t need = shift_ == 0 ? 8 : 9;
    uint64_t lo;
    uint8_t next;
    if (at + need <= end_) {
      std::memcpy(&lo, bytes_ + at, 8);
      next = shift_ == 0 ? 0 : bytes_[at + 8];
    } else {
      uint8_t buf[16] = {};
      std::memcpy(buf, bytes_ + at, std::min<size_t>(need, end_ - at));
      std::memcpy(&lo, buf, 8);
      next = buf[8];
    }
    if (shift_ == 0) return lo;
    return (lo >> shift_) | (static_cast<uint64_t>(next) << (64 - shift_));
  }

 private:
  const uint8_t* bytes_;
  size_t shift_;
  size_t end_;  // readable bytes from bytes_
};

// total_cmp's key of a float's bits (as a signed integer of its width).
template <typename K>
K ScalarOrderKey(K bits) {
  using U = std::make_unsigned_t<K>;
  constexpr int kSign = 8 * sizeof(K) - 1;
  return bits ^ static_cast<K>(static_cast<U>(bits >> kSign) >> 1);
}

}  // namespace lar::predicate
#endif  // LAR_TARGETS_PREDICATE_KERNELS_STATE_
// ==== END MUTABLE ========================================================

HWY_BEFORE_NAMESPACE();
namespace lar::predicate {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#include "simd/mask_bits-inl.h"

// ==== BEGIN MUTABLE: per-ISA kernels =====================================

// Every type is compared as the signed integer of its width: integers as
// they are, floats through total_cmp's key (flip all but the sign bit of
// negatives), which makes IEEE totalOrder a plain signed compare; == on
// floats is bit equality, so it needs no key.
template <bool kFloat, class D>
HWY_INLINE hn::Vec<D> OrderKey(D d, hn::Vec<D> x) {
  if constexpr (!kFloat) return x;
  const auto magnitude = hn::Set(d, hwy::LimitsMax<hn::TFromD<D>>());
  return hn::Xor(x, hn::And(hn::BroadcastSignBit(x), magnitude));
}

// The 64 comparison bits of rows p[0..63]: 64 / Lanes compares, each
// mask moved out as an integer (MaskBits) and placed at its row.
template <class D, class Pred>
HWY_INLINE uint64_t WordBits(D d, const hn::TFromD<D>* HWY_RESTRICT p, Pred pred) {
  // Lanes, not MaxLanes: SVE knows its vector length only at run time
  // (MaxLanes is the 2048-bit bound, 64 x i32); on x86 this is a constant.
  static_assert(hn::MaxLanes(D()) <= 64, "one mask per at most 64 rows");
  const size_t lanes = hn::Lanes(d);
  uint64_t bits = 0;
  for (size_t j = 0; j < 64; j += lanes) {
    bits |= MaskBits(d, pred(hn::LoadU(d, p + j))) << j;
  }
  return bits;
}

// The column in 64-row words: comparison bits, negated as a whole for the
// ops that are negations (`neg` = all ones), AND validity. The last,
// partial word is compared on a zero-padded copy so no load reads past n.
template <class D, class Pred>
HWY_INLINE void Scan(D d, const Column& col, uint64_t neg, Pred pred, uint64_t* HWY_RESTRICT out) {
  using K = hn::TFromD<D>;
  const K* HWY_RESTRICT x = static_cast<const K*>(col.values);
  const size_t full = col.n / 64;
  const ValidityReader validity(col);
  const bool nullable = col.validity != nullptr;
  for (size_t w = 0; w < full; ++w) {
    uint64_t bits = WordBits(d, x + 64 * w, pred) ^ neg;
    if (nullable) bits &= validity.Word(w);
    out[w] = bits;
  }
  const size_t rest = col.n % 64;
  if (rest != 0) {
    HWY_ALIGN K tail[64] = {};
    std::memcpy(tail, x + 64 * full, rest * sizeof(K));
    uint64_t bits = (WordBits(d, tail, pred) ^ neg) & ((uint64_t{1} << rest) - 1);
    if (nullable) bits &= validity.Word(full);
    out[full] = bits;
  }
}

// One type: K is the signed integer of the column's width.
template <typename K, bool kFloat>
void EvaluateTyped(const Column& col, const Predicate& p, uint64_t* HWY_RESTRICT out) {
  const hn::ScalableTag<K> d;
  K lo, hi;
  std::memcpy(&lo, &p.lo, sizeof(K));
  std::memcpy(&hi, &p.hi, sizeof(K));
  const auto vlo = hn::Set(d, lo);
  const auto klo = hn::Set(d, kFloat ? ScalarOrderKey(lo) : lo);
  const auto khi = hn::Set(d, kFloat ? ScalarOrderKey(hi) : hi);
  constexpr uint64_t kNeg = ~uint64_t{0};
  auto eq = [&](hn::Vec<decltype(d)> x) { return hn::Eq(x, vlo); };
  auto lt = [&](hn::Vec<decltype(d)> x) { return hn::Lt(OrderKey<kFloat>(d, x), klo); };
  auto gt = [&](hn::Vec<decltype(d)> x) { return hn::Gt(OrderKey<kFloat>(d, x), klo); };
  // NOT(x < lo OR x > hi): one Or of two compares, negated per word.
  auto outside = [&](hn::Vec<decltype(d)> x) {
    const auto k = OrderKey<kFloat>(d, x);
    return hn::Or(hn::Lt(k, klo), hn::Gt(k, khi));
  };
  switch (p.op) {
    case Op::kEq:
      return Scan(d, col, 0, eq, out);
    case Op::kNe:
      return Scan(d, col, kNeg, eq, out);
    case Op::kLt:
      return Scan(d, col, 0, lt, out);
    case Op::kGe:
      return Scan(d, col, kNeg, lt, out);
    case Op::kGt:
      return Scan(d, col, 0, gt, out);
    case Op::kLe:
      return Scan(d, col, kNeg, gt, out);
    case Op::kBetween:
      return Scan(d, col, kNeg, outside, out);
  }
}

void EvaluateImpl(const Column& column, const Predicate& predicate, uint64_t* HWY_RESTRICT out) {
  switch (predicate.type) {
    case Type::kI32:
      return EvaluateTyped<int32_t, false>(column, predicate, out);
    case Type::kI64:
      return EvaluateTyped<int64_t, false>(column, predicate, out);
    case Type::kF32:
      return EvaluateTyped<int32_t, true>(column, predicate, out);
    case Type::kF64:
      return EvaluateTyped<int64_t, true>(column, predicate, out);
  }
}

// ==== END MUTABLE ========================================================

int64_t KernelTargetImpl() { return HWY_TARGET; }

}  // namespace HWY_NAMESPACE
}  // namespace lar::predicate
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace lar::predicate {

HWY_EXPORT(EvaluateImpl);
HWY_EXPORT(KernelTargetImpl);

void Evaluate(const Column& column, const Predicate& predicate, uint64_t* HWY_RESTRICT out) {
  HWY_DYNAMIC_DISPATCH(EvaluateImpl)(column, predicate, out);
}

int64_t KernelTarget() { return HWY_DYNAMIC_DISPATCH(KernelTargetImpl)(); }

}  // namespace lar::predicate
#endif  // HWY_ONCE
