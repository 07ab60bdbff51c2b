// fsst: the kernel contract. Lance's FSST string decompression
// (rust/compression/fsst/src/fsst.rs: decompress -> FsstDecoder::init +
// decompress -> decompress_bulk), as the FSST mini-block decompressor calls
// it once per ~4 KiB chunk of a page, or once for a whole page. One timed
// operation decodes one page (its chunks in order, or all at once).
// kernels.cc implements the first block (the agent's file); reference.cc the
// second (immutable, Lance's decoder).
#ifndef LAR_TARGETS_FSST_FSST_H_
#define LAR_TARGETS_FSST_FSST_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include <hwy/base.h>

#include "harness/target.h"

namespace lar::fsst {

// The symbol table Lance stores per page (Fsst.symbol_table): a u64 header
// (bits 63..32 the magic "FSST", bit 24 the encoder switch, bits 7..0
// n_symbols), n_symbols u64 symbols (bytes LSB first, zero-padded), then
// right after them n_symbols lengths (1..8); zeros up to 2312 bytes.
inline constexpr size_t kSymbolTableBytes = 2312;
inline constexpr uint64_t kMagic = 0x46535354ull << 32;
inline constexpr uint64_t kSwitchBit = 1ull << 24;
// Code 255: the next byte is a literal.
inline constexpr uint8_t kEscape = 255;

enum class OffsetWidth : uint8_t { k32, k64 };  // i32 (Utf8) or i64 (LargeUtf8) offsets

struct Compressed {
  const uint8_t* table = nullptr;  // [kSymbolTableBytes]
  const uint8_t* codes = nullptr;  // Lance's in_buf
  size_t codes_len = 0;
  const void* offsets = nullptr;  // int32_t / int64_t [n + 1] into codes
  OffsetWidth width = OffsetWidth::k32;
  size_t n = 0;  // strings
};

// Semantics (Lance's decompress; the battery and tests/data/golden/fsst
// cover each):
// - switch on: string i is codes[offsets[i], offsets[i + 1]); a code c <
//   n_symbols appends symbol c (lens[c] bytes); 255 appends the next byte
//   literally (any value, 255 included) and consumes two. Output offsets
//   are of the input's width and start at 0 even when the input's do not
//   (out_offsets[i + 1] = bytes decoded so far). Returns the total.
// - switch off (Lance's pass-through under 32 KiB): the whole codes buffer
//   is copied and the offsets are copied verbatim; returns codes_len.
// Input assumptions: the table is well formed (magic, lengths 1..8); the
// offsets are non-decreasing and within codes_len; a string never ends in
// the middle of an escape pair; codes n_symbols..254 do not occur (Lance's
// encoder never emits them); n may be 0.
// Output: `out` holds out_capacity bytes, at least the decoded total; the
// kernel must not write at or past out + total (the battery's capacity is
// the exact total, followed by 64 guard bytes): Lance's 8-byte stores need
// slack that a kernel must keep inside buffers of its own.

// ---- kernels.cc: the agent's file --------------------------------------
// Timed; must not allocate or throw.
size_t Decompress(const Compressed& in, uint8_t* HWY_RESTRICT out, size_t out_capacity,
                  void* HWY_RESTRICT out_offsets);
// The HWY_TARGET this file's dispatch selects now.
int64_t KernelTarget();

// ---- reference.cc: Lance's decoder, scalar ------------------------------
namespace reference {
// Bytes of `out` Lance's decoder needs for `in`: 8 x codes_len when the
// switch is on (every code is written as 8 bytes), codes_len when off.
size_t RequiredOutput(const Compressed& in);
size_t Decompress(const Compressed& in, uint8_t* out, void* out_offsets);
}  // namespace reference

// Any implementation of the contract (the shipped one, a variant build of
// another version of kernels.cc, or a broken one in the test zoo).
struct KernelApi {
  size_t (*decompress)(const Compressed&, uint8_t*, size_t, void*);
  int64_t (*kernel_target)();
};

inline KernelApi ShippedKernel() { return {&Decompress, &KernelTarget}; }

// The registration of fsst (target.cc) around any kernel implementation.
Target MakeTarget(const std::string& id, const KernelApi& api);

}  // namespace lar::fsst

#endif  // LAR_TARGETS_FSST_FSST_H_
