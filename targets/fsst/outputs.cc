// fsst outputs: comparing two answers.
#include "targets/fsst/outputs.h"

#include <cstring>

namespace lar::fsst {
namespace {

std::optional<Mismatch> CompareBytes(const std::string& field, const uint8_t* ref,
                                     const uint8_t* got, size_t count, size_t elem) {
  for (size_t i = 0; i < count; ++i) {
    if (std::memcmp(ref + i * elem, got + i * elem, elem) == 0) continue;
    uint64_t r = 0, g = 0;
    std::memcpy(&r, ref + i * elem, elem);
    std::memcpy(&g, got + i * elem, elem);
    return Mismatch{field, i, std::to_string(r), std::to_string(g), "bitwise equality"};
  }
  return std::nullopt;
}

}  // namespace

std::optional<Mismatch> Compare(size_t ref_total, size_t got_total, const uint8_t* ref_off,
                                const uint8_t* got_off, size_t offsets, size_t offset_bytes,
                                const uint8_t* ref_bytes, const uint8_t* got_bytes,
                                const std::string& who) {
  if (ref_total != got_total) {
    return Mismatch{who + "total bytes", 0, std::to_string(ref_total), std::to_string(got_total),
                    "exact equality"};
  }
  if (auto m = CompareBytes(who + "offsets", ref_off, got_off, offsets, offset_bytes)) return m;
  return CompareBytes(who + "bytes", ref_bytes, got_bytes, ref_total, 1);
}

size_t OffsetBytes(OffsetWidth w) { return w == OffsetWidth::k32 ? 4 : 8; }

}  // namespace lar::fsst
