// predicate reference: a scalar port of arrow-rs as Lance's filter runs it
// (apache/arrow-rs 59.2.0, unchanged since ~47; Lance pins arrow 58):
// arrow-ord cmp.rs `compare_op` -> `apply_op` builds the value bitmap with
// BooleanBuffer::collect_bool, 64 rows per u64 chunk, from the two
// primitive comparisons only: `<` (lt; `>` swaps the operands, `>=` and
// `<=` negate them chunk by chunk) and `==` (`!=` negates it). Floats
// compare by f32::total_cmp / f64::total_cmp (ArrowNativeTypeOp::is_lt,
// is_eq). BETWEEN is DataFusion's and_kleene(gt_eq, lt_eq); the result's
// nulls are the column's; filter_record_batch (prep_null_mask_filter)
// keeps value AND validity, read 64 bits at a time as BitChunks does.
// Immutable for agents.
#include <algorithm>
#include <cstring>

#include "targets/predicate/predicate.h"

namespace lar::predicate::reference {
namespace {

// total_cmp's key: flip every bit but the sign when the sign is set, then
// compare as a signed integer.
int32_t TotalKey(float v) {
  int32_t bits;
  std::memcpy(&bits, &v, sizeof(bits));
  return bits ^ static_cast<int32_t>(static_cast<uint32_t>(bits >> 31) >> 1);
}
int64_t TotalKey(double v) {
  int64_t bits;
  std::memcpy(&bits, &v, sizeof(bits));
  return bits ^ static_cast<int64_t>(static_cast<uint64_t>(bits >> 63) >> 1);
}
int32_t TotalKey(int32_t v) { return v; }
int64_t TotalKey(int64_t v) { return v; }

template <typename T>
T FromBits(uint64_t bits) {
  T v;
  std::memcpy(&v, &bits, sizeof(T));
  return v;
}

template <typename T>
bool IsLt(T a, T b) {
  return TotalKey(a) < TotalKey(b);
}
template <typename T>
bool IsEq(T a, T b) {
  return TotalKey(a) == TotalKey(b);
}

// collect_bool: one u64 chunk of `f(i)` for rows [64c, 64c + count),
// negated as a whole when `neg` (so negated padding bits become 1s, as in
// arrow-rs; Finish clears them).
template <typename F>
uint64_t CollectChunk(size_t c, size_t count, bool neg, F f) {
  uint64_t packed = 0;
  for (size_t bit = 0; bit < count; ++bit) {
    packed |= static_cast<uint64_t>(f(64 * c + bit)) << bit;
  }
  return neg ? ~packed : packed;
}

// The value chunk of `x op literal` (apply_op's operand order).
template <typename T>
uint64_t ValueChunk(const T* x, size_t c, size_t count, Op op, T lit) {
  switch (op) {
    case Op::kEq:
    case Op::kNe:
      return CollectChunk(c, count, op == Op::kNe, [&](size_t i) { return IsEq(x[i], lit); });
    case Op::kLt:
    case Op::kGe:
      return CollectChunk(c, count, op == Op::kGe, [&](size_t i) { return IsLt(x[i], lit); });
    case Op::kGt:
    case Op::kLe:
      return CollectChunk(c, count, op == Op::kLe, [&](size_t i) { return IsLt(lit, x[i]); });
    case Op::kBetween:
      break;
  }
  return 0;
}

// BitChunks: the 64 validity bits of chunk c, read as one unaligned u64
// shifted by the bit offset and completed from the next byte; near the
// end only the bytes that exist are read.
uint64_t ValidityChunk(const uint8_t* validity, size_t offset, size_t n, size_t c) {
  const size_t first_bit = offset + 64 * c;
  const size_t end_byte = (offset + n + 7) / 8;
  const size_t byte = first_bit / 8;
  const size_t shift = first_bit % 8;
  uint8_t buf[16] = {};
  std::memcpy(buf, validity + byte, std::min<size_t>(9, end_byte - byte));
  uint64_t lo;
  std::memcpy(&lo, buf, sizeof(lo));
  if (shift == 0) return lo;
  return (lo >> shift) | (static_cast<uint64_t>(buf[8]) << (64 - shift));
}

template <typename T>
void EvaluateTyped(const Column& col, const Predicate& p, uint64_t* out) {
  const T* x = static_cast<const T*>(col.values);
  const T lo = FromBits<T>(p.lo), hi = FromBits<T>(p.hi);
  const size_t words = OutputWords(col.n);
  for (size_t c = 0; c < words; ++c) {
    const size_t count = std::min<size_t>(64, col.n - 64 * c);
    uint64_t value;
    if (p.op == Op::kBetween) {
      // and_kleene(x >= lo, x <= hi): the values AND-ed; both sides carry
      // the column's nulls, so the result's nulls are the column's.
      value = ValueChunk(x, c, count, Op::kGe, lo) & ValueChunk(x, c, count, Op::kLe, hi);
    } else {
      value = ValueChunk(x, c, count, p.op, lo);
    }
    if (col.validity != nullptr) {
      value &= ValidityChunk(col.validity, col.validity_offset, col.n, c);
    }
    // The contract's padding: bits past n are zero.
    if (count < 64) value &= (uint64_t{1} << count) - 1;
    out[c] = value;
  }
}

}  // namespace

void Evaluate(const Column& column, const Predicate& predicate, uint64_t* out) {
  switch (predicate.type) {
    case Type::kI32:
      return EvaluateTyped<int32_t>(column, predicate, out);
    case Type::kI64:
      return EvaluateTyped<int64_t>(column, predicate, out);
    case Type::kF32:
      return EvaluateTyped<float>(column, predicate, out);
    case Type::kF64:
      return EvaluateTyped<double>(column, predicate, out);
  }
}

}  // namespace lar::predicate::reference
