// dictionary kernels: THE AGENT'S FILE. Everything about speed lives here;
// the contract is targets/dictionary/dictionary.h, the rules are program.md.
// Edit between the MUTABLE fences; the dispatch boilerplate outside them
// stays as is.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "targets/dictionary/kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "targets/dictionary/dictionary.h"

// ==== BEGIN MUTABLE: prepared state (compiled once) ======================
#ifndef LAR_TARGETS_DICTIONARY_KERNELS_STATE_
#define LAR_TARGETS_DICTIONARY_KERNELS_STATE_
#include <cstring>

namespace lar::dictionary {

// The FastLanes layout of a u32 chunk (targets/bitpack/bitpack.h): 32 lanes,
// row r of a lane is value 128 (r mod 8) + 16 kOrder[r / 8] + lane.
inline constexpr size_t kChunk = 1024;
inline constexpr size_t kLanes32 = 32;
// Dictionaries of strings up to this many bytes are decoded from a padded
// stack copy (DecodeBinaryTyped).
inline constexpr size_t kPaddedDictionary = 4096;
inline constexpr size_t RowBase(int row) {
  constexpr int kOrder[4] = {0, 4, 2, 6};
  return static_cast<size_t>(kOrder[row / 8] * 16 + (row % 8) * 128);
}

}  // namespace lar::dictionary
#endif  // LAR_TARGETS_DICTIONARY_KERNELS_STATE_
// ==== END MUTABLE ========================================================

HWY_BEFORE_NAMESPACE();
namespace lar::dictionary {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// ==== BEGIN MUTABLE: per-ISA kernels =====================================

// Indices j.. as 32-bit lanes of `d32` (u8 and u16 widened).
template <class D32, typename K>
HWY_INLINE hn::Vec<D32> LoadIndex32(D32 d32, const K* idx, size_t j) {
  if constexpr (sizeof(K) == 4) {
    return hn::BitCast(d32, hn::LoadU(hn::RebindToUnsigned<D32>(), idx + j));
  } else {
    const hn::Rebind<K, D32> dk;
    return hn::BitCast(d32, hn::PromoteTo(hn::RebindToUnsigned<D32>(), hn::LoadU(dk, idx + j)));
  }
}

// 4- and 8-byte values: one hardware gather per vector of indices (the
// dictionary is small enough for 32-bit element indices).
template <typename V, typename K>
void GatherValues(const V* dict, const K* idx, size_t n, V* out) {
  using TV = hwy::MakeSigned<V>;
  const hn::ScalableTag<TV> dv;
  const size_t step = hn::Lanes(dv);
  const TV* base = reinterpret_cast<const TV*>(dict);
  size_t j = 0;
  for (; j + step <= n; j += step) {
    hn::Vec<decltype(dv)> index;
    if constexpr (sizeof(V) == 4) {
      index = LoadIndex32(dv, idx, j);
    } else {
      const hn::Rebind<int32_t, decltype(dv)> d32;
      index = hn::PromoteTo(dv, LoadIndex32(d32, idx, j));
    }
    hn::StoreU(hn::GatherIndex(dv, base, index), dv, reinterpret_cast<TV*>(out) + j);
  }
  for (; j < n; ++j) out[j] = dict[idx[j]];
}

// 16-byte values: one 16-byte vector load and store each (Lance: a
// variable-length extend_from_slice per value).
template <typename K>
void Copy16(const uint8_t* dict, const K* idx, size_t n, uint8_t* out) {
  const hn::CappedTag<uint8_t, 16> d;
  const size_t step = hn::Lanes(d);
  for (size_t j = 0; j < n; ++j) {
    const uint8_t* src = dict + static_cast<size_t>(idx[j]) * 16;
    for (size_t k = 0; k < 16; k += step) hn::StoreU(hn::LoadU(d, src + k), d, out + j * 16 + k);
  }
}

template <typename K>
void DecodeFixedTyped(const FixedDictionary& d, const K* idx, size_t n, uint8_t* out) {
  const bool gather_ok = d.count < (size_t{1} << 31);
  if (d.width == 4 && gather_ok) {
    return GatherValues(reinterpret_cast<const uint32_t*>(d.data), idx, n,
                        reinterpret_cast<uint32_t*>(out));
  }
  if (d.width == 8 && gather_ok) {
    return GatherValues(reinterpret_cast<const uint64_t*>(d.data), idx, n,
                        reinterpret_cast<uint64_t*>(out));
  }
  if (d.width == 16) return Copy16(d.data, idx, n, out);
  for (size_t j = 0; j < n; ++j) {
    std::memcpy(out + j * d.width, d.data + static_cast<size_t>(idx[j]) * d.width, d.width);
  }
}

void DecodeFixedImpl(const FixedDictionary& dict, const DictIndices& ix,
                     uint8_t* HWY_RESTRICT out) {
  switch (ix.width) {
    case IndexWidth::k8:
      return DecodeFixedTyped(dict, static_cast<const uint8_t*>(ix.data), ix.n, out);
    case IndexWidth::k16:
      return DecodeFixedTyped(dict, static_cast<const uint16_t*>(ix.data), ix.n, out);
    default:
      return DecodeFixedTyped(dict, static_cast<const uint32_t*>(ix.data), ix.n, out);
  }
}

// Copies len bytes in whole vectors when a vector more is readable and
// writable (the bytes past len are rewritten by the strings after it).
HWY_INLINE void CopyString(const uint8_t* src, const uint8_t* src_end, uint8_t* dst,
                           const uint8_t* dst_end, size_t len) {
  // Short strings in one 32-byte vector (a 64-byte store splits cache
  // lines more often), longer ones in 64-byte vectors.
  const hn::CappedTag<uint8_t, 32> d32;
  const hn::CappedTag<uint8_t, 64> d64;
  const size_t step32 = hn::Lanes(d32), step64 = hn::Lanes(d64);
  if (len <= step32 && src + step32 <= src_end && dst + step32 <= dst_end) {
    hn::StoreU(hn::LoadU(d32, src), d32, dst);
    return;
  }
  if (src + len + step64 <= src_end && dst + len + step64 <= dst_end) {
    for (size_t k = 0; k < len; k += step64) hn::StoreU(hn::LoadU(d64, src + k), d64, dst + k);
    return;
  }
  std::memcpy(dst, src, len);
}

// Strings: (1) lengths offsets[idx + 1] - offsets[idx] by two gathers per
// vector, (2) their prefix sum, (3) the bytes.
template <typename O, typename K>
size_t DecodeBinaryTyped(const BinaryDictionary& d, const K* idx, size_t n, O* HWY_RESTRICT out_off,
                         uint8_t* HWY_RESTRICT out_data) {
  const O* off = static_cast<const O*>(d.offsets);
  using TO = hwy::MakeSigned<O>;
  const hn::ScalableTag<TO> dv;
  const size_t step = hn::Lanes(dv);
  const TO* base = reinterpret_cast<const TO*>(off);
  out_off[0] = 0;
  size_t j = 0;
  if (d.count < (size_t{1} << 31)) {
    for (; j + step <= n; j += step) {
      hn::Vec<decltype(dv)> index;
      if constexpr (sizeof(O) == 4) {
        index = LoadIndex32(dv, idx, j);
      } else {
        const hn::Rebind<int32_t, decltype(dv)> d32;
        index = hn::PromoteTo(dv, LoadIndex32(d32, idx, j));
      }
      const auto len =
          hn::Sub(hn::GatherIndex(dv, base + 1, index), hn::GatherIndex(dv, base, index));
      hn::StoreU(len, dv, reinterpret_cast<TO*>(out_off) + j + 1);
    }
  }
  for (; j < n; ++j) out_off[j + 1] = off[idx[j] + 1] - off[idx[j]];
  O total = 0;
  for (size_t k = 1; k <= n; ++k) {
    total += out_off[k];
    out_off[k] = total;
  }
  // A small dictionary is copied to a stack buffer with a vector of slack,
  // so that its strings too are copied in whole vectors.
  const size_t dict_bytes = static_cast<size_t>(off[d.count]);
  HWY_ALIGN uint8_t padded[kPaddedDictionary + 64];
  const uint8_t* src = d.data;
  if (dict_bytes > 0 && dict_bytes <= kPaddedDictionary && n > 64) {
    std::memcpy(padded, d.data, dict_bytes);
    src = padded;
  }
  const uint8_t* src_end = src == padded ? padded + sizeof(padded) : d.data + dict_bytes;
  const uint8_t* dst_end = out_data + static_cast<size_t>(total);
  for (size_t k = 0; k < n; ++k) {
    const size_t len = static_cast<size_t>(out_off[k + 1] - out_off[k]);
    if (len > 0) CopyString(src + off[idx[k]], src_end, out_data + out_off[k], dst_end, len);
  }
  return static_cast<size_t>(total);
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

size_t DecodeBinaryImpl(const BinaryDictionary& dict, const DictIndices& ix,
                        void* HWY_RESTRICT out_offsets, uint8_t* HWY_RESTRICT out_data) {
  if (dict.width == OffsetWidth::k32) {
    return DecodeBinaryOffsets(dict, ix, static_cast<uint32_t*>(out_offsets), out_data);
  }
  return DecodeBinaryOffsets(dict, ix, static_cast<uint64_t*>(out_offsets), out_data);
}

// One u32 FastLanes chunk of indices into `out` (as targets/bitpack's
// kernel: a row of lanes per vector, shifted, masked, stored).
void UnpackIndices(const uint32_t* HWY_RESTRICT packed, int width, uint32_t* HWY_RESTRICT out) {
  const hn::CappedTag<uint32_t, kLanes32> d;
  const size_t step = hn::Lanes(d);
  if (width == 0) {
    for (size_t i = 0; i < kChunk; i += step) hn::StoreU(hn::Zero(d), d, out + i);
    return;
  }
  const auto mask = hn::Set(d, width == 32 ? ~0u : (1u << width) - 1);
  for (int row = 0; row < 32; ++row) {
    const int bit = row * width, shift = bit % 32;
    const uint32_t* p = packed + static_cast<size_t>(bit / 32) * kLanes32;
    uint32_t* o = out + RowBase(row);
    for (size_t g = 0; g < kLanes32; g += step) {
      auto v = hn::ShiftRightSame(hn::LoadU(d, p + g), shift);
      if (shift + width > 32)
        v = hn::Or(v, hn::ShiftLeftSame(hn::LoadU(d, p + kLanes32 + g), 32 - shift));
      hn::StoreU(hn::And(v, mask), d, o + g);
    }
  }
}

// The fused decode: each chunk's indices unpacked into an L1-resident
// buffer and gathered from there, never written out as a page of indices.
void DecodePackedFixedImpl(const FixedDictionary& dict, const uint32_t* HWY_RESTRICT packed,
                           size_t n, uint8_t* HWY_RESTRICT out) {
  HWY_ALIGN uint32_t idx[kChunk];
  const uint32_t* at = packed;
  for (size_t done = 0; done < n; done += kChunk) {
    const int width = static_cast<int>(at[0]);
    UnpackIndices(at + 1, width, idx);
    const size_t count = n - done < kChunk ? n - done : kChunk;
    DecodeFixedTyped(dict, idx, count, out + done * dict.width);
    at += 1 + kChunk * static_cast<size_t>(width) / 32;
  }
}

// ==== END MUTABLE ========================================================

int64_t KernelTargetImpl() { return HWY_TARGET; }

}  // namespace HWY_NAMESPACE
}  // namespace lar::dictionary
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace lar::dictionary {

HWY_EXPORT(DecodeFixedImpl);
HWY_EXPORT(DecodeBinaryImpl);
HWY_EXPORT(DecodePackedFixedImpl);
HWY_EXPORT(KernelTargetImpl);

void DecodeFixed(const FixedDictionary& dict, const DictIndices& indices,
                 uint8_t* HWY_RESTRICT out) {
  HWY_DYNAMIC_DISPATCH(DecodeFixedImpl)(dict, indices, out);
}

size_t DecodeBinary(const BinaryDictionary& dict, const DictIndices& indices,
                    void* HWY_RESTRICT out_offsets, uint8_t* HWY_RESTRICT out_data) {
  return HWY_DYNAMIC_DISPATCH(DecodeBinaryImpl)(dict, indices, out_offsets, out_data);
}

void DecodePackedFixed(const FixedDictionary& dict, const uint32_t* HWY_RESTRICT packed, size_t n,
                       uint8_t* HWY_RESTRICT out) {
  HWY_DYNAMIC_DISPATCH(DecodePackedFixedImpl)(dict, packed, n, out);
}

int64_t KernelTarget() { return HWY_DYNAMIC_DISPATCH(KernelTargetImpl)(); }

}  // namespace lar::dictionary
#endif  // HWY_ONCE
