// dictionary reference: a scalar port of Lance's dictionary decode,
// DictionaryDataBlock::decode_helper in rust/lance-encoding/src/data.rs
// (lancedb/lance d2039d75): for each index in order,
// `data_builder.append(&dictionary, idx..idx + 1)`, where the builder is
// FixedWidthDataBlockBuilder (extend_from_slice of the selected bytes) or
// VariableWidthDataBlockBuilder (extend_from_slice of the bytes, then one
// offset per selected value, from 0). The fused path first unpacks the
// indices as the mini-block decoder does (InlineBitpacking, ported in
// targets/bitpack/reference.cc). Lance's Vec growth is not reproduced: the
// harness owns the outputs. Immutable for agents.
#include <cstring>

#include "targets/bitpack/bitpack.h"
#include "targets/dictionary/dictionary.h"

namespace lar::dictionary::reference {
namespace {

// FixedWidthDataBlockBuilder.
struct FixedBuilder {
  uint8_t* values;
  size_t len = 0;
  void Append(const FixedDictionary& d, uint64_t start, uint64_t end) {
    const size_t from = static_cast<size_t>(start) * d.width;
    const size_t to = static_cast<size_t>(end) * d.width;
    std::memcpy(values + len, d.data + from, to - from);
    len += to - from;
  }
};

// VariableWidthDataBlockBuilder<O>.
template <typename O>
struct VariableBuilder {
  O* offsets;  // offsets[0] = 0 already
  uint8_t* bytes;
  size_t len = 0;
  size_t values = 0;
  void Append(const BinaryDictionary& d, uint64_t start, uint64_t end) {
    const O* off = static_cast<const O*>(d.offsets);
    const size_t s = static_cast<size_t>(off[start]), e = static_cast<size_t>(off[end]);
    size_t previous = len;
    if (e > s) std::memcpy(bytes + len, d.data + s, e - s);  // an empty slice: no bytes
    len += e - s;
    for (uint64_t k = start; k < end; ++k) {
      previous += static_cast<size_t>(off[k + 1] - off[k]);
      offsets[++values] = static_cast<O>(previous);
    }
  }
};

template <typename K>
void DecodeFixedTyped(const FixedDictionary& d, const K* idx, size_t n, uint8_t* out) {
  FixedBuilder builder{out};
  for (size_t j = 0; j < n; ++j) builder.Append(d, idx[j], uint64_t{idx[j]} + 1);
}

template <typename O, typename K>
size_t DecodeBinaryTyped(const BinaryDictionary& d, const K* idx, size_t n, O* out_offsets,
                         uint8_t* out_data) {
  out_offsets[0] = 0;
  VariableBuilder<O> builder{out_offsets, out_data};
  for (size_t j = 0; j < n; ++j) builder.Append(d, idx[j], uint64_t{idx[j]} + 1);
  return builder.len;
}

template <typename O>
size_t DecodeBinaryOffsets(const BinaryDictionary& d, const DictIndices& ix, O* out_offsets,
                           uint8_t* out_data) {
  switch (ix.width) {
    case IndexWidth::k8:
      return DecodeBinaryTyped(d, static_cast<const uint8_t*>(ix.data), ix.n, out_offsets,
                               out_data);
    case IndexWidth::k16:
      return DecodeBinaryTyped(d, static_cast<const uint16_t*>(ix.data), ix.n, out_offsets,
                               out_data);
    default:
      return DecodeBinaryTyped(d, static_cast<const uint32_t*>(ix.data), ix.n, out_offsets,
                               out_data);
  }
}

}  // namespace

void DecodeFixed(const FixedDictionary& dict, const DictIndices& ix, uint8_t* out) {
  switch (ix.width) {
    case IndexWidth::k8:
      return DecodeFixedTyped(dict, static_cast<const uint8_t*>(ix.data), ix.n, out);
    case IndexWidth::k16:
      return DecodeFixedTyped(dict, static_cast<const uint16_t*>(ix.data), ix.n, out);
    default:
      return DecodeFixedTyped(dict, static_cast<const uint32_t*>(ix.data), ix.n, out);
  }
}

size_t DecodeBinary(const BinaryDictionary& dict, const DictIndices& ix, void* out_offsets,
                    uint8_t* out_data) {
  if (dict.width == OffsetWidth::k32) {
    return DecodeBinaryOffsets(dict, ix, static_cast<uint32_t*>(out_offsets), out_data);
  }
  return DecodeBinaryOffsets(dict, ix, static_cast<uint64_t*>(out_offsets), out_data);
}

void DecodePackedFixed(const FixedDictionary& dict, const uint32_t* packed, size_t n, uint8_t* out,
                       uint32_t* scratch) {
  bitpack::reference::Unpack32(packed, n, scratch);
  DecodeFixedTyped(dict, scratch, n, out);
}

}  // namespace lar::dictionary::reference
