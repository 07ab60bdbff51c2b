// take reference: scalar ports of arrow-rs take (arrow-select
// src/take.rs, the rules since arrow-rs #4405, as Lance 0.x pins arrow 56):
// - primitives (width 1..16): take_native (a plain gather without null
//   indices; with them, `values.get(index)`, the default for an
//   out-of-range null index) and take_nulls (value validity gathered by
//   take_bits, or the indices' validity);
// - FixedSizeList (width 512): take_fixed_size_list: the child indices
//   `idx * 128 + k` are built (take_value_indices_from_fixed_size_list, a
//   null row gives 128 null child indices), the f32 child is taken with
//   them, and the row validity is computed by a loop;
// - strings: take_bytes in two passes (lengths and offsets from 0, then the
//   bytes, copied string by string).
// Immutable for agents.
#include <cstring>

#include "targets/take/take.h"

namespace lar::take::reference {
namespace {

template <typename I>
const I* IndexData(const Indices& ix) {
  return static_cast<const I*>(ix.data);
}

bool IndexValid(const Indices& ix, size_t j) {
  return ix.validity == nullptr || BitIsSet(ix.validity, j);
}

// take_nulls: the value validity gathered at valid indices (take_bits), or
// the indices' validity when the values have none.
template <typename I>
void TakeNulls(const uint8_t* value_validity, const Indices& ix, uint8_t* out) {
  const I* idx = IndexData<I>(ix);
  std::memset(out, 0, (ix.n + 7) / 8);
  for (size_t j = 0; j < ix.n; ++j) {
    bool valid = IndexValid(ix, j);
    if (valid && value_validity != nullptr) valid = BitIsSet(value_validity, idx[j]);
    if (valid) out[j / 8] |= static_cast<uint8_t>(1u << (j % 8));
  }
}

// `checked`: the indices have nulls, so an index may be out of range.
template <typename V, typename I>
void TakeNative(const V* values, size_t count, const I* idx, bool checked, size_t n, V* out) {
  if (!checked) {
    for (size_t j = 0; j < n; ++j) out[j] = values[idx[j]];
    return;
  }
  for (size_t j = 0; j < n; ++j) {
    const size_t i = static_cast<size_t>(idx[j]);
    out[j] = i < count ? values[i] : V{};  // in range, or a null index
  }
}

struct Bytes16 {
  uint64_t lo, hi;
};

template <typename I>
void TakeFixedList(const FixedValues& v, const Indices& ix, uint8_t* out, uint32_t* child_idx) {
  constexpr size_t kItems = 128;  // FixedSizeList<f32, 128>: 512 bytes
  const I* idx = IndexData<I>(ix);
  for (size_t j = 0; j < ix.n; ++j) {
    const uint32_t start = IndexValid(ix, j) ? static_cast<uint32_t>(idx[j] * kItems) : 0;
    for (size_t k = 0; k < kItems; ++k) {
      child_idx[j * kItems + k] = IndexValid(ix, j) ? start + static_cast<uint32_t>(k) : 0;
    }
  }
  // The child indices carry nulls when any index does: take_native's checked path.
  const float* child = reinterpret_cast<const float*>(v.data);
  TakeNative(child, v.count * kItems, child_idx, ix.validity != nullptr, ix.n * kItems,
             reinterpret_cast<float*>(out));
}

template <typename I>
void TakeFixedTyped(const FixedValues& v, const Indices& ix, uint8_t* out, uint32_t* scratch) {
  const I* idx = IndexData<I>(ix);
  switch (v.width) {
    case 1:
      TakeNative(v.data, v.count, idx, ix.validity != nullptr, ix.n, out);
      break;
    case 2:
      TakeNative(reinterpret_cast<const uint16_t*>(v.data), v.count, idx, ix.validity != nullptr,
                 ix.n, reinterpret_cast<uint16_t*>(out));
      break;
    case 4:
      TakeNative(reinterpret_cast<const uint32_t*>(v.data), v.count, idx, ix.validity != nullptr,
                 ix.n, reinterpret_cast<uint32_t*>(out));
      break;
    case 8:
      TakeNative(reinterpret_cast<const uint64_t*>(v.data), v.count, idx, ix.validity != nullptr,
                 ix.n, reinterpret_cast<uint64_t*>(out));
      break;
    case 16:
      TakeNative(reinterpret_cast<const Bytes16*>(v.data), v.count, idx, ix.validity != nullptr,
                 ix.n, reinterpret_cast<Bytes16*>(out));
      break;
    default:
      TakeFixedList<I>(v, ix, out, scratch);
      break;
  }
}

template <typename O, typename I>
size_t TakeBytes(const BinaryValues& v, const Indices& ix, O* out_off, uint8_t* out_data) {
  const O* off = static_cast<const O*>(v.offsets);
  const I* idx = IndexData<I>(ix);
  // Pass 1: lengths, offsets from 0 (arrow checks each add for overflow).
  O total = 0;
  out_off[0] = 0;
  for (size_t j = 0; j < ix.n; ++j) {
    const bool valid = IndexValid(ix, j) && (v.validity == nullptr || BitIsSet(v.validity, idx[j]));
    if (valid) total += off[idx[j] + 1] - off[idx[j]];
    out_off[j + 1] = total;
  }
  // Pass 2: the bytes, string by string.
  for (size_t j = 0; j < ix.n; ++j) {
    const size_t len = static_cast<size_t>(out_off[j + 1] - out_off[j]);
    if (len > 0) {
      std::memcpy(out_data + out_off[j], v.data + off[idx[j]], len);
    }
  }
  return static_cast<size_t>(total);
}

}  // namespace

void TakeFixed(const FixedValues& values, const Indices& indices, uint8_t* out,
               uint8_t* out_validity, uint32_t* scratch) {
  if (indices.width == IndexWidth::k32) {
    TakeFixedTyped<uint32_t>(values, indices, out, scratch);
    if (out_validity != nullptr) TakeNulls<uint32_t>(values.validity, indices, out_validity);
  } else {
    TakeFixedTyped<uint64_t>(values, indices, out, scratch);
    if (out_validity != nullptr) TakeNulls<uint64_t>(values.validity, indices, out_validity);
  }
}

size_t TakeBinary(const BinaryValues& values, const Indices& indices, void* out_offsets,
                  uint8_t* out_data, uint8_t* out_validity) {
  size_t total;
  const bool i32 = indices.width == IndexWidth::k32;
  if (values.width == OffsetWidth::k32) {
    auto* off = static_cast<int32_t*>(out_offsets);
    total = i32 ? TakeBytes<int32_t, uint32_t>(values, indices, off, out_data)
                : TakeBytes<int32_t, uint64_t>(values, indices, off, out_data);
  } else {
    auto* off = static_cast<int64_t*>(out_offsets);
    total = i32 ? TakeBytes<int64_t, uint32_t>(values, indices, off, out_data)
                : TakeBytes<int64_t, uint64_t>(values, indices, off, out_data);
  }
  if (out_validity != nullptr) {
    if (i32) {
      TakeNulls<uint32_t>(values.validity, indices, out_validity);
    } else {
      TakeNulls<uint64_t>(values.validity, indices, out_validity);
    }
  }
  return total;
}

}  // namespace lar::take::reference
