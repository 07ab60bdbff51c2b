// dictionary outputs: what one decode writes (a side's scratch, or a
// battery case's answer), how any implementation runs into it, and the
// comparison rule. Immutable for agents.
#ifndef LAR_TARGETS_DICTIONARY_OUTPUTS_H_
#define LAR_TARGETS_DICTIONARY_OUTPUTS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/target.h"
#include "targets/dictionary/dictionary.h"
#include "targets/dictionary/inputs.h"

namespace lar::dictionary {

size_t OffsetBytes(const DictSpec& s);
size_t IndexBytes(const DictSpec& s);

// `values` and `offsets` are 8-byte storage.
struct Outputs {
  std::vector<uint64_t> values, offsets;
  std::vector<uint8_t> data;
  std::vector<uint32_t> indices;  // the reference's unpacked indices (packed)
  size_t total = 0;
  Outputs(const DictSpec& s, size_t max_len);
};

// Values (fixed, packed), or the total, the offsets and the bytes.
std::optional<Mismatch> Compare(const DictSpec& s, const void* ref_values, const void* ref_offsets,
                                const uint8_t* ref_data, size_t ref_total, const void* got_values,
                                const void* got_offsets, const uint8_t* got_data, size_t got_total,
                                const std::string& who);

// One decode of `ix` (or of its packed page) into `o`.
void RunKernelInto(const KernelApi& api, const DictSpec& s, const DictData& d, const IndexData& ix,
                   Outputs* o);
void RunReferenceInto(const DictSpec& s, const DictData& d, const IndexData& ix, Outputs* o);

}  // namespace lar::dictionary

#endif  // LAR_TARGETS_DICTIONARY_OUTPUTS_H_
