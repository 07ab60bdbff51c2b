// predicate: the kernel contract. Lance's un-indexed filter (a scan with
// `WHERE col <op> literal`): DataFusion's BinaryExpr calls arrow-ord's
// cmp kernels (eq, neq, lt, lt_eq, gt, gt_eq) on a column against a
// literal coerced to the column's type, BETWEEN becomes
// and_kleene(gt_eq, lt_eq), and filter_record_batch keeps the rows whose
// value bit AND validity bit are set. One timed operation evaluates one
// predicate over one column (a batch of 8,192 rows or a 16M-row scan)
// into that selection bitmap.
// kernels.cc implements the first block (the agent's file); reference.cc
// the second (immutable, arrow-rs's order of operations).
#ifndef LAR_TARGETS_PREDICATE_PREDICATE_H_
#define LAR_TARGETS_PREDICATE_PREDICATE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <hwy/base.h>

#include "harness/target.h"

namespace lar::predicate {

// Column types: date32 is kI32 (days), timestamp is kI64 (units since the
// epoch); Lance coerces the literal to the column's type before the kernel.
enum class Type : uint8_t { kI32, kI64, kF32, kF64 };
// kBetween: lo <= x AND x <= hi (DataFusion's rewrite of BETWEEN).
enum class Op : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe, kBetween };

inline constexpr size_t kTypeCount = 4;
inline constexpr size_t kOpCount = 7;
inline size_t TypeBytes(Type t) { return t == Type::kI32 || t == Type::kF32 ? 4 : 8; }
inline const char* TypeName(Type t) {
  static constexpr const char* kNames[] = {"i32", "i64", "f32", "f64"};
  return kNames[static_cast<size_t>(t)];
}
inline const char* OpName(Op o) {
  static constexpr const char* kNames[] = {"==", "!=", "<", "<=", ">", ">=", "between"};
  return kNames[static_cast<size_t>(o)];
}

// `col <op> lo` (and `<= hi` for kBetween). Literals are the bit patterns
// of a value of the column's type in the low bytes (LiteralBits).
struct Predicate {
  Type type = Type::kI32;
  Op op = Op::kEq;
  uint64_t lo = 0;
  uint64_t hi = 0;  // kBetween only
};

template <typename T>
uint64_t LiteralBits(T value) {
  static_assert(sizeof(T) <= sizeof(uint64_t));
  uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof(T));
  return bits;
}

// One Arrow primitive array (or a slice of one).
//
// Input assumptions (the verify battery covers each):
// - values: n elements of the column's type, aligned to the element size
//   but to nothing more (a slice starts anywhere); n may be 0 and need not
//   be a multiple of 64. Floats may hold any bit pattern: +-NaN with any
//   payload, +-inf, -0 and +0, subnormals. Integers span their whole range.
// - validity: null (no null buffer: every row valid) or an LSB-first
//   bitmap whose row i is bit (validity_offset + i); exactly
//   ceil((validity_offset + n) / 8) bytes are readable. Values under null
//   slots hold arbitrary bits.
struct Column {
  const void* values = nullptr;
  const uint8_t* validity = nullptr;
  size_t validity_offset = 0;  // in bits, any value (Arrow slices)
  size_t n = 0;
};

// Output: ceil(n / 64) u64 words, LSB-first (row i is bit i % 64 of word
// i / 64), bit set iff row i is valid AND the comparison holds; bits from
// n up to the end of the last word are zero. Nothing past the last word is
// written.
//
// The comparison is arrow-rs's: integers compare as signed values; floats
// compare by IEEE 754 totalOrder (f32::total_cmp): -NaN < -inf < ... < -0
// < +0 < ... < +inf < +NaN, NaNs ordered by payload, so x == 0.0 does not
// match -0.0 and NaN == NaN only for the same bit pattern.
inline size_t OutputWords(size_t n) { return (n + 63) / 64; }

// ---- kernels.cc: the agent's file --------------------------------------
// One timed operation. Must not allocate or throw; `out` is owned by the
// caller.
void Evaluate(const Column& column, const Predicate& predicate, uint64_t* HWY_RESTRICT out);
// The HWY_TARGET this file's dispatch selects now.
int64_t KernelTarget();

// ---- reference.cc: arrow-rs's kernels, scalar ----------------------------
namespace reference {
void Evaluate(const Column& column, const Predicate& predicate, uint64_t* out);
}  // namespace reference

// Any implementation of the contract (the shipped one, a variant build of
// another version of kernels.cc, or a broken one in the test zoo).
struct KernelApi {
  void (*evaluate)(const Column&, const Predicate&, uint64_t*);
  int64_t (*kernel_target)();
};

inline KernelApi ShippedKernel() { return {&Evaluate, &KernelTarget}; }

// The registration of predicate (target.cc) around any kernel implementation.
Target MakeTarget(const std::string& id, const KernelApi& api);

}  // namespace lar::predicate

#endif  // LAR_TARGETS_PREDICATE_PREDICATE_H_
