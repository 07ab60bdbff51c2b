// fsst outputs: the comparison rule (the total, then the offsets, then the
// bytes, each bitwise). Immutable for agents.
#ifndef LAR_TARGETS_FSST_OUTPUTS_H_
#define LAR_TARGETS_FSST_OUTPUTS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "harness/target.h"
#include "targets/fsst/fsst.h"

namespace lar::fsst {

size_t OffsetBytes(OffsetWidth w);

// `offsets` offsets of `offset_bytes` each (little-endian), then the
// bytes; field names prefixed with `who`.
std::optional<Mismatch> Compare(size_t ref_total, size_t got_total, const uint8_t* ref_off,
                                const uint8_t* got_off, size_t offsets, size_t offset_bytes,
                                const uint8_t* ref_bytes, const uint8_t* got_bytes,
                                const std::string& who);

}  // namespace lar::fsst

#endif  // LAR_TARGETS_FSST_OUTPUTS_H_
