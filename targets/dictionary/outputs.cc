// dictionary outputs: running a decode into buffers, comparing two answers.
#include "targets/dictionary/outputs.h"

#include <cstdio>
#include <cstring>

namespace lar::dictionary {
namespace {

// The first element (of `elem` bytes) where ref and got differ, printed as
// little-endian numbers.
std::optional<Mismatch> CompareBytes(const std::string& field, const void* ref, const void* got,
                                     size_t count, size_t elem) {
  const auto* r = static_cast<const uint8_t*>(ref);
  const auto* g = static_cast<const uint8_t*>(got);
  for (size_t i = 0; i < count; ++i) {
    if (std::memcmp(r + i * elem, g + i * elem, elem) == 0) continue;
    auto hex = [&](const uint8_t* p) {
      std::string s = "0x";
      char buf[4];
      for (size_t k = elem; k-- > 0;) {
        std::snprintf(buf, sizeof(buf), "%02x", p[i * elem + k]);
        s += buf;
      }
      return s;
    };
    return Mismatch{field, i, hex(r), hex(g), "bitwise equality"};
  }
  return std::nullopt;
}

template <class Fixed, class Binary, class Packed>
void Run(const DictSpec& s, const DictData& d, const IndexData& ix, Outputs* o, Fixed fixed,
         Binary binary, Packed packed) {
  uint8_t* values = reinterpret_cast<uint8_t*>(o->values.data());
  switch (s.kind) {
    case Kind::kFixed:
      return fixed(d.Fixed(), View(s, ix), values);
    case Kind::kBinary:
      o->total = binary(d.Binary(), View(s, ix), o->offsets.data(), o->data.data());
      return;
    case Kind::kPacked:
      return packed(d.Fixed(), ix.packed.data<uint32_t>(), s.n, values);
  }
}

}  // namespace

size_t OffsetBytes(const DictSpec& s) { return s.offsets == OffsetWidth::k32 ? 4 : 8; }

size_t IndexBytes(const DictSpec& s) {
  return s.index == IndexWidth::k8 ? 1 : s.index == IndexWidth::k16 ? 2 : 4;
}

Outputs::Outputs(const DictSpec& s, size_t max_len)
    : values(s.kind == Kind::kBinary ? 0 : s.n * s.width / 8 + 1),
      offsets(s.kind == Kind::kBinary ? s.n + 1 : 0),
      data(s.kind == Kind::kBinary ? s.n * max_len + 1 : 0),
      indices(s.kind == Kind::kPacked ? s.n : 0) {}

std::optional<Mismatch> Compare(const DictSpec& s, const void* ref_values, const void* ref_offsets,
                                const uint8_t* ref_data, size_t ref_total, const void* got_values,
                                const void* got_offsets, const uint8_t* got_data, size_t got_total,
                                const std::string& who) {
  if (s.kind != Kind::kBinary) {
    return CompareBytes(who + "values", ref_values, got_values, s.n, s.width);
  }
  if (ref_total != got_total) {
    return Mismatch{who + "total bytes", 0, std::to_string(ref_total), std::to_string(got_total),
                    "exact equality"};
  }
  if (auto m = CompareBytes(who + "offsets", ref_offsets, got_offsets, s.n + 1, OffsetBytes(s))) {
    return m;
  }
  return CompareBytes(who + "bytes", ref_data, got_data, ref_total, 1);
}

void RunKernelInto(const KernelApi& api, const DictSpec& s, const DictData& d, const IndexData& ix,
                   Outputs* o) {
  Run(s, d, ix, o, api.decode_fixed, api.decode_binary, api.decode_packed_fixed);
}

void RunReferenceInto(const DictSpec& s, const DictData& d, const IndexData& ix, Outputs* o) {
  Run(s, d, ix, o, &reference::DecodeFixed, &reference::DecodeBinary,
      [&](const FixedDictionary& f, const uint32_t* p, size_t n, uint8_t* out) {
        reference::DecodePackedFixed(f, p, n, out, o->indices.data());
      });
}

}  // namespace lar::dictionary
