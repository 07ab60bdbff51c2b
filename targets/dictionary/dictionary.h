// dictionary: the kernel contract. Lance's dictionary decode
// (DictionaryDataBlock::decode in rust/lance-encoding/src/data.rs): for
// every index in order, append the dictionary value it names, through
// DataBlockBuilder::append. Values are fixed-width (16 bytes in Lance's
// writer: Decimal128 and friends; 4 and 8 bytes for generality) or strings
// (u32 / u64 offsets). The fused variant takes the indices as Lance stores
// them: InlineBitpacking chunks of u32 at W = ceil(log2 C). One timed
// operation decodes one page of n indices.
// kernels.cc implements the first block (the agent's file); reference.cc the
// second (immutable, Lance's order).
#ifndef LAR_TARGETS_DICTIONARY_DICTIONARY_H_
#define LAR_TARGETS_DICTIONARY_DICTIONARY_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include <hwy/base.h>

#include "harness/target.h"

namespace lar::dictionary {

enum class IndexWidth : uint8_t { k8, k16, k32 };  // read as unsigned
enum class OffsetWidth : uint8_t { k32, k64 };

struct DictIndices {
  const void* data = nullptr;  // uint8_t / uint16_t / uint32_t [n]
  IndexWidth width = IndexWidth::k32;
  size_t n = 0;
};

struct FixedDictionary {
  const uint8_t* data = nullptr;  // [count * width], aligned to min(width, 8)
  size_t width = 16;              // 4, 8 or 16 bytes
  size_t count = 0;               // C
};

struct BinaryDictionary {
  const void* offsets = nullptr;  // uint32_t or uint64_t [count + 1], from 0
  OffsetWidth width = OffsetWidth::k32;
  const uint8_t* data = nullptr;  // [offsets[count]]
  size_t count = 0;
};

// Input assumptions (the verify battery covers each):
// - every index is < count (Lance panics on slice bounds otherwise; nulls
//   live in rep/def levels, a null slot's index is a valid filler);
// - n may be 0 (Lance returns an empty block); C may be 1;
// - pointers are aligned to their element size; nothing more.
// Outputs: fixed: exactly n * width bytes; strings: n + 1 offsets of the
// dictionary's width from 0 and exactly the taken bytes (the returned
// total); nothing may be written past them (64 guard elements are checked).

// ---- kernels.cc: the agent's file --------------------------------------
// Timed; must not allocate or throw.
void DecodeFixed(const FixedDictionary& dict, const DictIndices& indices,
                 uint8_t* HWY_RESTRICT out);
size_t DecodeBinary(const BinaryDictionary& dict, const DictIndices& indices,
                    void* HWY_RESTRICT out_offsets, uint8_t* HWY_RESTRICT out_data);
// The fused path: `packed` is a u32 InlineBitpacking page of n indices
// (targets/bitpack/bitpack.h: chunks [W][1024 W / 32 words], W per chunk).
void DecodePackedFixed(const FixedDictionary& dict, const uint32_t* HWY_RESTRICT packed, size_t n,
                       uint8_t* HWY_RESTRICT out);
// The HWY_TARGET this file's dispatch selects now.
int64_t KernelTarget();

// ---- reference.cc: Lance's decode, scalar --------------------------------
namespace reference {
void DecodeFixed(const FixedDictionary& dict, const DictIndices& indices, uint8_t* out);
size_t DecodeBinary(const BinaryDictionary& dict, const DictIndices& indices, void* out_offsets,
                    uint8_t* out_data);
// `scratch`: [n] u32, where the mini-block decoder unpacks the indices
// first (lance-bitpacking's unpack, as targets/bitpack's reference).
void DecodePackedFixed(const FixedDictionary& dict, const uint32_t* packed, size_t n, uint8_t* out,
                       uint32_t* scratch);
}  // namespace reference

// Any implementation of the contract (the shipped one, a variant build of
// another version of kernels.cc, or a broken one in the test zoo).
struct KernelApi {
  void (*decode_fixed)(const FixedDictionary&, const DictIndices&, uint8_t*);
  size_t (*decode_binary)(const BinaryDictionary&, const DictIndices&, void*, uint8_t*);
  void (*decode_packed_fixed)(const FixedDictionary&, const uint32_t*, size_t, uint8_t*);
  int64_t (*kernel_target)();
};

inline KernelApi ShippedKernel() {
  return {&DecodeFixed, &DecodeBinary, &DecodePackedFixed, &KernelTarget};
}

// The registration of dictionary (target.cc) around any kernel implementation.
Target MakeTarget(const std::string& id, const KernelApi& api);

}  // namespace lar::dictionary

#endif  // LAR_TARGETS_DICTIONARY_DICTIONARY_H_
