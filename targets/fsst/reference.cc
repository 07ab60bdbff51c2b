// fsst reference: a scalar port of Lance's FSST decoder
// (rust/compression/fsst/src/fsst.rs, lancedb/lance d2039d75): decompress
// builds an FsstDecoder (symbols preset to FSST_CORRUPT, lengths to 0),
// init reads the header and the table, and decompress either copies the
// input (switch off) or runs decompress_bulk: per string, 4 codes at a
// time while an escape-free block of 4 is found with a SWAR test, each
// symbol written as a full 8-byte word and the position advanced by its
// length; then the 2- and 1-byte tails exactly as Lance orders them.
// Checked bit for bit against Lance's own outputs in
// tests/targets/fsst_golden_test.cc. Immutable for agents.
#include <cstring>

#include "targets/fsst/fsst.h"

namespace lar::fsst::reference {
namespace {

constexpr uint64_t kCorrupt = 32774747032022883ull;  // "corrupt", Lance's filler

struct Decoder {
  uint8_t lens[256];
  uint64_t symbols[256];
  bool switch_on = false;
};

// FsstDecoder::new + init (the checks Lance makes on sizes are the
// caller's preconditions here).
void Init(const uint8_t* table, Decoder* d) {
  for (uint64_t& s : d->symbols) s = kCorrupt;
  std::memset(d->lens, 0, sizeof(d->lens));
  uint64_t info;
  std::memcpy(&info, table, 8);
  d->switch_on = (info & kSwitchBit) != 0;
  const size_t count = info & 255;
  size_t pos = 8;
  for (size_t i = 0; i < count; ++i, pos += 8) std::memcpy(&d->symbols[i], table + pos, 8);
  for (size_t i = 0; i < count; ++i, ++pos) d->lens[i] = table[pos];
}

// One code: the symbol's 8 bytes written, the position advanced by its length.
inline void Emit(const Decoder& d, uint8_t code, uint8_t* out, size_t* out_curr) {
  std::memcpy(out + *out_curr, &d.symbols[code], 8);
  *out_curr += d.lens[code];
}

// decompress_bulk's closure for one string.
void DecodeString(const Decoder& d, const uint8_t* in, size_t in_curr, size_t in_end, uint8_t* out,
                  size_t* out_curr) {
  while (in_curr + 4 <= in_end) {
    uint32_t block;
    std::memcpy(&block, in + in_curr, 4);
    const uint32_t escape_mask =
        (block & 0x80808080u) & ((((~block) & 0x7F7F7F7Fu) + 0x7F7F7F7Fu) ^ 0x80808080u);
    if (escape_mask == 0) {
      for (int k = 0; k < 4; ++k) Emit(d, in[in_curr++], out, out_curr);
      continue;
    }
    const int first_escape_pos = __builtin_ctz(escape_mask) >> 3;
    for (int k = 0; k < first_escape_pos; ++k) Emit(d, in[in_curr++], out, out_curr);
    in_curr += 2;
    out[(*out_curr)++] = in[in_curr - 1];
  }
  // The remaining bytes, in Lance's order.
  if (in_curr + 2 <= in_end) {
    out[*out_curr] = in[in_curr + 1];
    if (in[in_curr] != kEscape) {
      Emit(d, in[in_curr], out, out_curr);
      ++in_curr;
      if (in[in_curr] != kEscape) {
        Emit(d, in[in_curr], out, out_curr);
        ++in_curr;
      } else {
        in_curr += 2;
        out[(*out_curr)++] = in[in_curr - 1];
      }
    } else {
      in_curr += 2;
      ++*out_curr;
    }
  }
  if (in_curr < in_end) Emit(d, in[in_curr], out, out_curr);  // never an escape
}

template <typename O>
size_t DecodeAll(const Decoder& d, const Compressed& in, uint8_t* out, O* out_offsets) {
  const O* off = static_cast<const O*>(in.offsets);
  if (!d.switch_on) {  // pass-through: the bytes and the offsets, verbatim
    std::memcpy(out, in.codes, in.codes_len);
    std::memcpy(out_offsets, off, (in.n + 1) * sizeof(O));
    return in.codes_len;
  }
  size_t out_curr = 0;
  out_offsets[0] = 0;
  for (size_t i = 1; i <= in.n; ++i) {
    DecodeString(d, in.codes, static_cast<size_t>(off[i - 1]), static_cast<size_t>(off[i]), out,
                 &out_curr);
    out_offsets[i] = static_cast<O>(out_curr);
  }
  return out_curr;
}

}  // namespace

size_t RequiredOutput(const Compressed& in) {
  uint64_t info;
  std::memcpy(&info, in.table, 8);
  return (info & kSwitchBit) != 0 ? 8 * in.codes_len : in.codes_len;
}

size_t Decompress(const Compressed& in, uint8_t* out, void* out_offsets) {
  Decoder d;
  Init(in.table, &d);
  if (in.width == OffsetWidth::k32) {
    return DecodeAll(d, in, out, static_cast<int32_t*>(out_offsets));
  }
  return DecodeAll(d, in, out, static_cast<int64_t*>(out_offsets));
}

}  // namespace lar::fsst::reference
