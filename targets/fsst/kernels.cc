// fsst kernels: THE AGENT'S FILE. Everything about speed lives here; the
// contract is targets/fsst/fsst.h, the rules are program.md. Edit between
// the MUTABLE fences; the dispatch boilerplate outside them stays as is.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "targets/fsst/kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "targets/fsst/fsst.h"

// ==== BEGIN MUTABLE: prepared state (compiled once) ======================
#ifndef LAR_TARGETS_FSST_KERNELS_STATE_
#define LAR_TARGETS_FSST_KERNELS_STATE_
#include <algorithm>
#include <cstring>

namespace lar::fsst {

// The decoder's view of a symbol table. Only codes below n_symbols are
// filled: the contract rules out the others (Lance's encoder never emits
// them), so the 2 KiB Lance clears per call are not touched.
struct Table {
  uint64_t symbols[256];
  uint8_t lens[256];
  bool switch_on;
};

inline void ParseTable(const uint8_t* table, Table* t) {
  uint64_t info;
  std::memcpy(&info, table, 8);
  t->switch_on = (info & kSwitchBit) != 0;
  const size_t count = info & 255;
  std::memcpy(t->symbols, table + 8, 8 * count);
  std::memcpy(t->lens, table + 8 + 8 * count, count);
}

}  // namespace lar::fsst
#endif  // LAR_TARGETS_FSST_KERNELS_STATE_
// ==== END MUTABLE ========================================================

HWY_BEFORE_NAMESPACE();
namespace lar::fsst {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// ==== BEGIN MUTABLE: per-ISA kernels =====================================

// Short strings are decoded as one stream across string boundaries (an
// escape pair never crosses one), a block of kBlock codes at a time,
// recording the output position before each code; the strings' output
// offsets are then read from those positions. Per string this costs one
// load and one store, where decoding string by string costs a mispredicted
// loop exit.
constexpr size_t kBlock = 1024;

// Codes [s, limit) (one more if the last is an escape) into out + pos,
// recording the positions (kRecord) in pos_at; nothing is written at or
// past out + capacity. 16 codes are
// compared with the escape code in one vector; the escape-free run up to
// the first escape is decoded without further tests (Lance tests every 4).
template <bool kRecord>
HWY_INLINE size_t DecodeBlock(const Table& t, const uint8_t* HWY_RESTRICT codes, size_t s,
                              size_t limit, uint8_t* HWY_RESTRICT out, size_t capacity, size_t* pos,
                              uint32_t* HWY_RESTRICT pos_at) {
  const hn::CappedTag<uint8_t, 16> d;
  const size_t step = hn::Lanes(d);
  const auto escape = hn::Set(d, kEscape);
  const size_t s0 = s, pos0 = *pos;
  size_t p = *pos;
  // A whole 8-byte word while it fits in the caller's buffer (a predictable
  // test), the symbol's own bytes near its end.
  auto emit = [&](uint8_t c) {
    if (HWY_LIKELY(p + 8 <= capacity)) {
      std::memcpy(out + p, &t.symbols[c], 8);
    } else {
      std::memcpy(out + p, &t.symbols[c], t.lens[c]);
    }
    p += t.lens[c];
  };
  while (s + step <= limit) {
    const intptr_t first = hn::FindFirstTrue(d, hn::Eq(hn::LoadU(d, codes + s), escape));
    const size_t clean = first < 0 ? step : static_cast<size_t>(first);
    for (size_t k = 0; k < clean; ++k) {
      if constexpr (kRecord) pos_at[s + k - s0] = static_cast<uint32_t>(p - pos0);
      emit(codes[s + k]);
    }
    s += clean;
    if (first >= 0) {  // the literal follows inside the same string
      if constexpr (kRecord) pos_at[s - s0] = static_cast<uint32_t>(p - pos0);
      out[p++] = codes[s + 1];
      s += 2;
    }
  }
  while (s < limit) {
    if constexpr (kRecord) pos_at[s - s0] = static_cast<uint32_t>(p - pos0);
    if (codes[s] == kEscape) {
      out[p++] = codes[s + 1];
      s += 2;
    } else {
      emit(codes[s]);
      ++s;
    }
  }
  if constexpr (kRecord) pos_at[s - s0] = static_cast<uint32_t>(p - pos0);
  *pos = p;
  return s;
}

// Long strings (128 codes and more on average) one by one: their loop exits
// are rare, and recording a position per code would cost more.
template <typename O>
size_t DecodeStrings(const Table& t, const Compressed& in, uint8_t* HWY_RESTRICT out,
                     size_t out_capacity, O* HWY_RESTRICT out_offsets) {
  const O* off = static_cast<const O*>(in.offsets);
  size_t pos = 0;
  for (size_t i = 0; i < in.n; ++i) {
    const size_t s = static_cast<size_t>(off[i]), e = static_cast<size_t>(off[i + 1]);
    DecodeBlock<false>(t, in.codes, s, e, out, out_capacity, &pos, nullptr);
    out_offsets[i + 1] = static_cast<O>(pos);
  }
  return pos;
}

// Short strings as one stream, kBlock codes at a time.
template <typename O>
size_t DecodeStream(const Table& t, const Compressed& in, uint8_t* HWY_RESTRICT out,
                    size_t out_capacity, O* HWY_RESTRICT out_offsets) {
  const O* off = static_cast<const O*>(in.offsets);
  uint32_t pos_at[kBlock + 2];
  size_t pos = 0, string = 0;
  const size_t end = static_cast<size_t>(off[in.n]);
  for (size_t s = static_cast<size_t>(off[0]); string < in.n;) {
    const size_t s0 = s, pos0 = pos, limit = std::min(end, s + kBlock);
    s = DecodeBlock<true>(t, in.codes, s, limit, out, out_capacity, &pos, pos_at);
    while (string < in.n && static_cast<size_t>(off[string + 1]) <= s) {
      const size_t at = static_cast<size_t>(off[string + 1]) - s0;
      out_offsets[string + 1] = static_cast<O>(pos0 + pos_at[at]);
      ++string;
    }
  }
  return pos;
}

template <typename O>
size_t DecodeAll(const Table& t, const Compressed& in, uint8_t* HWY_RESTRICT out,
                 size_t out_capacity, O* HWY_RESTRICT out_offsets) {
  const O* off = static_cast<const O*>(in.offsets);
  if (!t.switch_on) {  // Lance's pass-through: bytes and offsets verbatim
    std::memcpy(out, in.codes, in.codes_len);
    std::memcpy(out_offsets, off, (in.n + 1) * sizeof(O));
    return in.codes_len;
  }
  out_offsets[0] = 0;
  if (in.n == 0) return 0;
  const size_t codes = static_cast<size_t>(off[in.n] - off[0]);
  if (codes >= 128 * in.n) return DecodeStrings(t, in, out, out_capacity, out_offsets);
  return DecodeStream(t, in, out, out_capacity, out_offsets);
}

size_t DecompressImpl(const Compressed& in, uint8_t* HWY_RESTRICT out, size_t out_capacity,
                      void* HWY_RESTRICT out_offsets) {
  Table t;
  ParseTable(in.table, &t);
  if (in.width == OffsetWidth::k32) {
    return DecodeAll(t, in, out, out_capacity, static_cast<int32_t*>(out_offsets));
  }
  return DecodeAll(t, in, out, out_capacity, static_cast<int64_t*>(out_offsets));
}

// ==== END MUTABLE ========================================================

int64_t KernelTargetImpl() { return HWY_TARGET; }

}  // namespace HWY_NAMESPACE
}  // namespace lar::fsst
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace lar::fsst {

HWY_EXPORT(DecompressImpl);
HWY_EXPORT(KernelTargetImpl);

size_t Decompress(const Compressed& in, uint8_t* HWY_RESTRICT out, size_t out_capacity,
                  void* HWY_RESTRICT out_offsets) {
  return HWY_DYNAMIC_DISPATCH(DecompressImpl)(in, out, out_capacity, out_offsets);
}

int64_t KernelTarget() { return HWY_DYNAMIC_DISPATCH(KernelTargetImpl)(); }

}  // namespace lar::fsst
#endif  // HWY_ONCE
