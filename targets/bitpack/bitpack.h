// bitpack: the kernel contract. Lance's integer decode path: a page of
// InlineBitpacking mini-block chunks in the FastLanes layout (lance-bitpacking
// BitPacking::unchecked_unpack, framed by InlineBitpacking::unchunk in
// lance-encoding bitpacking.rs). One timed operation decodes one page of n
// values of one word type T into n plain T values.
// kernels.cc implements the first block (the agent's file); reference.cc the
// second (immutable, Lance's unpack order).
#ifndef LAR_TARGETS_BITPACK_BITPACK_H_
#define LAR_TARGETS_BITPACK_BITPACK_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include <hwy/base.h>

#include "harness/target.h"

namespace lar::bitpack {

// Values per chunk (a FastLanes vector): every chunk but the last holds
// exactly this many; the last holds 1..1024 and is zero-padded to 1024
// before packing.
inline constexpr size_t kChunkValues = 1024;
// FastLanes' row order: value index i = 128 (r mod 8) + 16 kFlOrder[r / 8] + l
// for row r in [0, T) and lane l in [0, 1024 / T).
inline constexpr int kFlOrder[8] = {0, 4, 2, 6, 1, 5, 3, 7};

// The page layout (docs/lance/encoding.md s1), for T in {u8, u16, u32, u64}:
// ceil(n / 1024) chunks back to back, each
//   [W: one T word, 0 <= W <= bits(T)][1024 * W / bits(T) packed T words].
// Lane l of a chunk owns the words P[k * 1024 / bits(T) + l], k = 0..W-1,
// read as one LSB-first bit stream; row r is bits [r W, r W + W) of it,
// zero-extended (no sign extension: negative data is stored at W = T).
// W = 0 means 1024 zeros and no packed words.
//
// Input assumptions (the verify battery covers each):
// - the page is well formed (Lance asserts the body length when it reads a
//   chunk): every header holds W <= bits(T), and the buffer holds exactly
//   the chunks of n values;
// - `packed` and `out` are aligned to sizeof(T), not to vectors; n may be 0;
// - per-chunk W varies freely within a page (0 and bits(T) included).
// Output: exactly n values; nothing past out[n - 1] may be written (the
// last chunk's padding is not part of the output).
// Every function returns the number of T words of `packed` it consumed
// (headers included).

// ---- kernels.cc: the agent's file --------------------------------------
// Timed: must not allocate or throw.
size_t Unpack8(const uint8_t* HWY_RESTRICT packed, size_t n, uint8_t* HWY_RESTRICT out);
size_t Unpack16(const uint16_t* HWY_RESTRICT packed, size_t n, uint16_t* HWY_RESTRICT out);
size_t Unpack32(const uint32_t* HWY_RESTRICT packed, size_t n, uint32_t* HWY_RESTRICT out);
size_t Unpack64(const uint64_t* HWY_RESTRICT packed, size_t n, uint64_t* HWY_RESTRICT out);
// The HWY_TARGET this file's dispatch selects now.
int64_t KernelTarget();

// ---- reference.cc: Lance's unpack, scalar --------------------------------
namespace reference {
size_t Unpack8(const uint8_t* packed, size_t n, uint8_t* out);
size_t Unpack16(const uint16_t* packed, size_t n, uint16_t* out);
size_t Unpack32(const uint32_t* packed, size_t n, uint32_t* out);
size_t Unpack64(const uint64_t* packed, size_t n, uint64_t* out);
}  // namespace reference

// Any implementation of the contract (the shipped one, a variant build of
// another version of kernels.cc, or a broken one in the test zoo).
struct KernelApi {
  size_t (*unpack8)(const uint8_t*, size_t, uint8_t*);
  size_t (*unpack16)(const uint16_t*, size_t, uint16_t*);
  size_t (*unpack32)(const uint32_t*, size_t, uint32_t*);
  size_t (*unpack64)(const uint64_t*, size_t, uint64_t*);
  int64_t (*kernel_target)();
};

inline KernelApi ShippedKernel() {
  return {&Unpack8, &Unpack16, &Unpack32, &Unpack64, &KernelTarget};
}

// The unpack function of word type T in `api`, or the reference's.
template <typename T>
auto UnpackOf(const KernelApi& api) {
  if constexpr (sizeof(T) == 1) return api.unpack8;
  if constexpr (sizeof(T) == 2) return api.unpack16;
  if constexpr (sizeof(T) == 4) return api.unpack32;
  if constexpr (sizeof(T) == 8) return api.unpack64;
}
template <typename T>
auto ReferenceUnpack() {
  if constexpr (sizeof(T) == 1) return &reference::Unpack8;
  if constexpr (sizeof(T) == 2) return &reference::Unpack16;
  if constexpr (sizeof(T) == 4) return &reference::Unpack32;
  if constexpr (sizeof(T) == 8) return &reference::Unpack64;
}

// The registration of bitpack (target.cc) around any kernel implementation.
Target MakeTarget(const std::string& id, const KernelApi& api);

}  // namespace lar::bitpack

#endif  // LAR_TARGETS_BITPACK_BITPACK_H_
