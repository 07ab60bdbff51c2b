// take: the kernel contract. Arrow's take as Lance calls it (arrow-select
// take.rs through lance-arrow RecordBatchExt::take and dataset/take.rs
// take_struct_array): gather values by u32 / u64 indices, with null
// indices and null values. One timed operation is one take of one column:
// fixed-width values (1, 2, 4, 8, 16 bytes, or 512-byte FixedSizeList rows)
// or strings (i32 / i64 offsets).
// kernels.cc implements the first block (the agent's file); reference.cc the
// second (immutable, arrow's algorithms).
#ifndef LAR_TARGETS_TAKE_TAKE_H_
#define LAR_TARGETS_TAKE_TAKE_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include <hwy/base.h>

#include "harness/target.h"

namespace lar::take {

// Validity bitmaps are Arrow's: bit j (LSB first) of byte j / 8 is set when
// slot j is valid; a null pointer means every slot is valid.
inline bool BitIsSet(const uint8_t* bits, size_t j) { return (bits[j / 8] >> (j % 8)) & 1; }

enum class IndexWidth : uint8_t { k32, k64 };   // UInt32Array / UInt64Array
enum class OffsetWidth : uint8_t { k32, k64 };  // Utf8 / LargeUtf8

struct Indices {
  const void* data = nullptr;  // uint32_t or uint64_t [n]
  IndexWidth width = IndexWidth::k32;
  const uint8_t* validity = nullptr;  // [ceil(n / 8)] or null
  size_t n = 0;
};

// Fixed-width values: width 1, 2, 4, 8 (UInt8..UInt64 and friends), 16
// (Decimal128, Lance's dictionary case) or 512 (FixedSizeList<f32, 128>:
// an embedding row).
struct FixedValues {
  const uint8_t* data = nullptr;  // [count * width], aligned to min(width, 8)
  size_t width = 4;
  size_t count = 0;
  const uint8_t* validity = nullptr;  // [ceil(count / 8)] or null
};

// Variable-width values (Utf8 / Binary): string i is
// data[offsets[i], offsets[i + 1]); offsets are non-decreasing and need not
// start at 0 (a sliced array).
struct BinaryValues {
  const void* offsets = nullptr;  // int32_t or int64_t [count + 1]
  OffsetWidth width = OffsetWidth::k32;
  const uint8_t* data = nullptr;  // readable over [offsets[0], offsets[count])
  size_t count = 0;
  const uint8_t* validity = nullptr;
};

// Semantics (arrow-rs take, check_bounds = false), the battery covers each:
// - every VALID index is < count (arrow panics otherwise); a NULL index may
//   hold any value, in range or not, and must not be dereferenced unless in
//   range;
// - output slot j is valid iff index j is valid and value idx[j] is valid;
//   a null slot's value bytes are unspecified (compared by validity only);
// - out_validity ([ceil(n / 8)] bytes, bits past n zero) is written iff
//   indices.validity or values.validity is non-null;
// - n may be 0; count may be 0 only when every index is null;
// - duplicates are allowed; pointers are aligned to their element size
//   (values: to min(width, 8)), validity bitmaps to bytes.

// ---- kernels.cc: the agent's file --------------------------------------
// Timed; must not allocate or throw.
// out: [n * width]; a valid slot j holds value idx[j]'s bytes.
void TakeFixed(const FixedValues& values, const Indices& indices, uint8_t* HWY_RESTRICT out,
               uint8_t* HWY_RESTRICT out_validity);
// Arrow's take_bytes: out_offsets [n + 1] of the values' offset width,
// from 0, a null slot of length 0; out_data receives exactly the taken
// bytes (its size: the returned total, which the caller knows fits in the
// offset type: arrow returns OffsetOverflowError otherwise).
size_t TakeBinary(const BinaryValues& values, const Indices& indices,
                  void* HWY_RESTRICT out_offsets, uint8_t* HWY_RESTRICT out_data,
                  uint8_t* HWY_RESTRICT out_validity);
// The HWY_TARGET this file's dispatch selects now.
int64_t KernelTarget();

// ---- reference.cc: arrow-rs take, scalar --------------------------------
namespace reference {
// `scratch`: [n * width / 4] u32, the child indices arrow builds for a
// FixedSizeList (width 512); unused for other widths.
void TakeFixed(const FixedValues& values, const Indices& indices, uint8_t* out,
               uint8_t* out_validity, uint32_t* scratch);
size_t TakeBinary(const BinaryValues& values, const Indices& indices, void* out_offsets,
                  uint8_t* out_data, uint8_t* out_validity);
}  // namespace reference

// Any implementation of the contract (the shipped one, a variant build of
// another version of kernels.cc, or a broken one in the test zoo).
struct KernelApi {
  void (*take_fixed)(const FixedValues&, const Indices&, uint8_t*, uint8_t*);
  size_t (*take_binary)(const BinaryValues&, const Indices&, void*, uint8_t*, uint8_t*);
  int64_t (*kernel_target)();
};

inline KernelApi ShippedKernel() { return {&TakeFixed, &TakeBinary, &KernelTarget}; }

// The registration of take (target.cc) around any kernel implementation.
Target MakeTarget(const std::string& id, const KernelApi& api);

}  // namespace lar::take

#endif  // LAR_TARGETS_TAKE_TAKE_H_
