// take kernels: THE AGENT'S FILE. Everything about speed lives here; the
// contract is targets/take/take.h, the rules are program.md. Edit between
// the MUTABLE fences; the dispatch boilerplate outside them stays as is.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "targets/take/kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/cache_control.h>
#include <hwy/highway.h>

#include "targets/take/take.h"

// ==== BEGIN MUTABLE: prepared state (compiled once) ======================
#ifndef LAR_TARGETS_TAKE_KERNELS_STATE_
#define LAR_TARGETS_TAKE_KERNELS_STATE_
#include <cstring>

namespace lar::take {

// Bit k of lane k: the per-lane test of a validity window (Iota builds
// through memory, so the masks live here).
alignas(64) inline constexpr uint32_t kLaneBit32[16] = {
    1u << 0, 1u << 1, 1u << 2,  1u << 3,  1u << 4,  1u << 5,  1u << 6,  1u << 7,
    1u << 8, 1u << 9, 1u << 10, 1u << 11, 1u << 12, 1u << 13, 1u << 14, 1u << 15};
alignas(64) inline constexpr uint64_t kLaneBit64[8] = {1, 2, 4, 8, 16, 32, 64, 128};

// Bits [j, j + 16) of a bitmap of n bits, without reading past its
// ceil(n / 8) bytes.
inline uint32_t BitWindow16(const uint8_t* bits, size_t j, size_t n) {
  const size_t first = j / 8, bytes = (n + 7) / 8;
  uint32_t w = 0;
  for (size_t b = 0; b < 3 && first + b < bytes; ++b) w |= uint32_t{bits[first + b]} << (8 * b);
  return w >> (j % 8);
}

// Output validity, 8 slots per byte: index validity AND the value's. A
// null index is never used to address the value bitmap.
template <typename I>
void TakeValidity(const uint8_t* value_validity, const Indices& ix, uint8_t* out) {
  const size_t bytes = (ix.n + 7) / 8;
  if (value_validity == nullptr) {  // the indices' own bitmap
    std::memcpy(out, ix.validity, bytes);
    if (ix.n % 8 != 0) out[bytes - 1] &= static_cast<uint8_t>((1u << (ix.n % 8)) - 1);
    return;
  }
  const I* idx = static_cast<const I*>(ix.data);
  for (size_t b = 0; b < bytes; ++b) {
    const uint32_t index_bits = ix.validity == nullptr ? 0xFFu : ix.validity[b];
    uint32_t byte = 0;
    for (size_t k = 0; k < 8 && b * 8 + k < ix.n; ++k) {
      const size_t i = static_cast<size_t>(idx[b * 8 + k]);
      const uint32_t ok = (index_bits >> k) & 1;
      if (ok) byte |= static_cast<uint32_t>(BitIsSet(value_validity, i)) << k;
    }
    out[b] = static_cast<uint8_t>(byte);
  }
}

}  // namespace lar::take
#endif  // LAR_TARGETS_TAKE_KERNELS_STATE_
// ==== END MUTABLE ========================================================

HWY_BEFORE_NAMESPACE();
namespace lar::take {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// ==== BEGIN MUTABLE: per-ISA kernels =====================================

// Tags of the index paths: at most 16 x 32-bit or 8 x 64-bit lanes (512
// bits), the reach of the validity window (BitWindow16) and of the lane-bit
// tables. x86 vectors fit whole; wider SVE vectors are used at 512 bits.
template <typename T>
using IndexTag = hn::CappedTag<T, 64 / sizeof(T)>;

// Indices as gather lanes: `DI` is a signed tag of the index width's lane
// size. A null index is replaced by 0 (only valid indices are in range), so
// every gather stays inside the values.
template <class DI, typename I>
HWY_INLINE hn::Vec<DI> LoadIndices(DI di, const I* idx, const uint8_t* validity, size_t j,
                                   size_t n) {
  using TI = hn::TFromD<DI>;
  const hn::RebindToUnsigned<DI> du;
  hn::Vec<DI> v;
  if constexpr (sizeof(I) == sizeof(TI)) {
    v = hn::BitCast(di, hn::LoadU(du, reinterpret_cast<const hn::TFromD<decltype(du)>*>(idx) + j));
  } else {  // u32 indices widened to 64-bit lanes
    const hn::Rebind<uint32_t, decltype(du)> d32;
    v = hn::BitCast(di,
                    hn::PromoteTo(du, hn::LoadU(d32, reinterpret_cast<const uint32_t*>(idx) + j)));
  }
  if (validity == nullptr) return v;
  const auto window =
      hn::Set(du, static_cast<hn::TFromD<decltype(du)>>(BitWindow16(validity, j, n)));
  const auto lane_bit = [&] {
    if constexpr (sizeof(TI) == 4)
      return hn::LoadU(du, kLaneBit32);
    else
      return hn::LoadU(du, kLaneBit64);
  }();
  return hn::IfThenElseZero(hn::RebindMask(di, hn::TestBit(window, lane_bit)), v);
}

// 4- and 8-byte values with indices of the same lane size: one hardware
// gather per vector (AVX2, AVX-512; emulated on SSE4 and SCALAR).
template <typename V, typename I>
void GatherSameWidth(const V* values, const I* idx, const uint8_t* validity, size_t n, V* out) {
  using TI = hwy::MakeSigned<V>;
  const IndexTag<TI> di;
  const size_t step = hn::Lanes(di);
  const TI* base = reinterpret_cast<const TI*>(values);
  size_t j = 0;
  for (; j + step <= n; j += step) {
    const auto index = LoadIndices(di, idx, validity, j, n);
    hn::StoreU(hn::GatherIndex(di, base, index), di, reinterpret_cast<TI*>(out) + j);
  }
  for (; j < n; ++j) {
    const bool valid = validity == nullptr || BitIsSet(validity, j);
    out[j] = values[valid ? static_cast<size_t>(idx[j]) : 0];
  }
}

// 1-, 2- and 4-byte values gathered as 32-bit words at byte offsets and
// truncated; a vector whose indices reach the last 3 bytes of the values
// (where a 4-byte load would run past them) goes element by element.
// `d32` holds one 32-bit lane per index; `load(j)` gives those indices.
template <class D32, typename V, typename I, class Load>
void GatherNarrowLoop(D32 d32, const uint8_t* values, size_t count, const I* idx,
                      const uint8_t* validity, size_t n, V* out, Load load) {
  const hn::Rebind<V, D32> dv;
  const size_t step = hn::Lanes(d32);
  constexpr size_t kOver = 4 / sizeof(V) - 1;  // elements a 4-byte load reads past its own
  const V* typed = reinterpret_cast<const V*>(values);
  auto scalar = [&](size_t from, size_t to) {
    for (size_t j = from; j < to; ++j) {
      const bool valid = validity == nullptr || BitIsSet(validity, j);
      out[j] = typed[valid ? static_cast<size_t>(idx[j]) : 0];
    }
  };
  if (count <= kOver) return scalar(0, n);
  const auto last_safe = hn::Set(d32, static_cast<int32_t>(count - 1 - kOver));
  const auto size = hn::Set(d32, static_cast<int32_t>(sizeof(V)));
  const int32_t* base = reinterpret_cast<const int32_t*>(values);
  size_t j = 0;
  for (; j + step <= n; j += step) {
    const auto index = load(j);
    if constexpr (sizeof(V) == 4) {  // whole elements: every index is in range
      hn::StoreU(hn::BitCast(dv, hn::GatherIndex(d32, base, index)), dv, out + j);
    } else {
      if (!hn::AllFalse(d32, hn::Gt(index, last_safe))) {
        scalar(j, j + step);
        continue;
      }
      const auto words = hn::GatherOffset(d32, base, hn::Mul(index, size));
      // Masked, then a saturating DemoteTo that the mask makes exact:
      // Highway 1.0.3's TruncateTo from u32 gives wrong lanes on AVX3_DL
      // (it permutes dwords where it means bytes or words).
      const auto low = hn::And(words, hn::Set(d32, static_cast<int32_t>(V(~V{0}))));
      hn::StoreU(hn::DemoteTo(dv, low), dv, out + j);
    }
  }
  scalar(j, n);
}

template <typename V, typename I>
void GatherNarrow(const uint8_t* values, size_t count, const I* idx, const uint8_t* validity,
                  size_t n, V* out) {
  if constexpr (sizeof(I) == 4) {
    const IndexTag<int32_t> d32;
    GatherNarrowLoop(d32, values, count, idx, validity, n, out,
                     [&](size_t j) { return LoadIndices(d32, idx, validity, j, n); });
  } else {  // u64 indices, below count < 2^31: truncated to 32-bit lanes
    const IndexTag<int64_t> d64;
    const hn::Rebind<int32_t, decltype(d64)> d32;
    const hn::Rebind<uint32_t, decltype(d64)> du32;
    const hn::RebindToUnsigned<decltype(d64)> du64;
    GatherNarrowLoop(d32, values, count, idx, validity, n, out, [&](size_t j) {
      const auto wide = hn::BitCast(du64, LoadIndices(d64, idx, validity, j, n));
      return hn::BitCast(d32, hn::TruncateTo(du32, wide));
    });
  }
}

// Output validity when the values have a bitmap: per vector, each value's
// bit gathered as a 32-bit word at byte idx / 8 and shifted by idx % 8,
// AND the index's validity; a vector whose words would run past the bitmap
// goes bit by bit. `load(j)` gives the vector's indices in 32-bit lanes
// (a null index as 0).
template <class D32, typename I, class Load>
void GatherValidityLoop(D32 d32, const uint8_t* value_validity, size_t count, const Indices& ix,
                        uint8_t* out, Load load) {
  const hn::RebindToUnsigned<D32> du;
  const size_t n = ix.n, step = hn::Lanes(d32), bytes = (count + 7) / 8;
  const I* idx = static_cast<const I*>(ix.data);
  const auto lane_bit = hn::LoadU(du, kLaneBit32);
  const auto one = hn::Set(du, 1u);
  const auto last_safe = hn::Set(d32, bytes >= 4 ? static_cast<int32_t>(bytes - 4) : -1);
  const int32_t* words = reinterpret_cast<const int32_t*>(value_validity);
  auto slot = [&](size_t j) {
    return (ix.validity == nullptr || BitIsSet(ix.validity, j)) &&
           BitIsSet(value_validity, static_cast<size_t>(idx[j]));
  };
  std::memset(out, 0, (n + 7) / 8);
  size_t j = 0;
  for (; j + step <= n; j += step) {
    const auto index = load(j);
    const auto byte = hn::ShiftRight<3>(index);
    uint8_t bits[8] = {};
    if (hn::AllFalse(d32, hn::Gt(byte, last_safe))) {
      const auto word = hn::BitCast(du, hn::GatherOffset(d32, words, byte));
      const auto shift = hn::BitCast(du, hn::And(index, hn::Set(d32, 7)));
      auto valid = hn::Eq(hn::And(hn::Shr(word, shift), one), one);
      if (ix.validity != nullptr) {
        const auto window = hn::Set(du, BitWindow16(ix.validity, j, n));
        valid = hn::And(valid, hn::TestBit(window, lane_bit));
      }
      hn::StoreMaskBits(du, valid, bits);
    } else {
      for (size_t k = 0; k < step; ++k) bits[k / 8] |= static_cast<uint8_t>(slot(j + k) << (k % 8));
    }
    // j is a multiple of step (a power of two): whole bytes, or bits of one.
    for (size_t b = 0; b < (step + 7) / 8; ++b) {
      out[j / 8 + b] |= static_cast<uint8_t>(bits[b] << (j % 8));
    }
  }
  for (; j < n; ++j) out[j / 8] |= static_cast<uint8_t>(slot(j) << (j % 8));
}

template <typename I>
void GatherValidity(const uint8_t* value_validity, size_t count, const Indices& ix, uint8_t* out) {
  const I* idx = static_cast<const I*>(ix.data);
  if constexpr (sizeof(I) == 4) {
    const IndexTag<int32_t> d32;
    GatherValidityLoop<decltype(d32), I>(d32, value_validity, count, ix, out, [&](size_t j) {
      return LoadIndices(d32, idx, ix.validity, j, ix.n);
    });
  } else {
    const IndexTag<int64_t> d64;
    const hn::Rebind<int32_t, decltype(d64)> d32;
    const hn::Rebind<uint32_t, decltype(d64)> du32;
    const hn::RebindToUnsigned<decltype(d64)> du64;
    GatherValidityLoop<decltype(d32), I>(d32, value_validity, count, ix, out, [&](size_t j) {
      const auto wide = hn::BitCast(du64, LoadIndices(d64, idx, ix.validity, j, ix.n));
      return hn::BitCast(d32, hn::TruncateTo(du32, wide));
    });
  }
}

// The output validity: the indices' bitmap alone, or gathered.
template <typename I>
void OutputValidity(const uint8_t* value_validity, size_t count, const Indices& ix, uint8_t* out) {
  if (value_validity == nullptr || count == 0 || count >= (size_t{1} << 34)) {
    return TakeValidity<I>(value_validity, ix, out);
  }
  GatherValidity<I>(value_validity, count, ix, out);
}

// Rows of `kBytes` (16: Decimal128; 512: FixedSizeList<f32, 128>) copied
// with whole vectors; for long rows the row four ahead is prefetched
// (random rows miss every cache).
template <size_t kBytes, typename I>
void CopyRows(const uint8_t* values, const I* idx, const uint8_t* validity, size_t n,
              uint8_t* out) {
  const hn::CappedTag<uint8_t, kBytes> d;
  const size_t step = hn::Lanes(d);
  for (size_t j = 0; j < n; ++j) {
    const bool valid = validity == nullptr || BitIsSet(validity, j);
    const uint8_t* src = values + (valid ? static_cast<size_t>(idx[j]) : 0) * kBytes;
    if constexpr (kBytes >= 256) {
      // Only a valid index addresses the values (a null one holds anything).
      if (j + 4 < n && (validity == nullptr || BitIsSet(validity, j + 4))) {
        hwy::Prefetch(values + static_cast<size_t>(idx[j + 4]) * kBytes);
      }
    }
    uint8_t* dst = out + j * kBytes;
    for (size_t k = 0; k < kBytes; k += step) hn::StoreU(hn::LoadU(d, src + k), d, dst + k);
  }
}

template <typename V, typename I>
void TakeFew(const V* values, const I* idx, const uint8_t* validity, size_t n, V* out) {
  for (size_t j = 0; j < n; ++j) {
    out[j] = values[validity == nullptr || BitIsSet(validity, j) ? static_cast<size_t>(idx[j]) : 0];
  }
}

template <typename I>
void TakeFixedTyped(const FixedValues& v, const Indices& ix, uint8_t* HWY_RESTRICT out) {
  const I* idx = static_cast<const I*>(ix.data);
  const uint8_t* valid = ix.validity;
  const size_t n = ix.n;
  if (v.count == 0) return;  // every index is null: no value to read
  if (n < 16 && v.width <= 8) {
    // Fewer indices than a vector: a plain loop costs less than the set-up.
    switch (v.width) {
      case 1:
        return TakeFew(v.data, idx, valid, n, out);
      case 2:
        return TakeFew(reinterpret_cast<const uint16_t*>(v.data), idx, valid, n,
                       reinterpret_cast<uint16_t*>(out));
      case 4:
        return TakeFew(reinterpret_cast<const uint32_t*>(v.data), idx, valid, n,
                       reinterpret_cast<uint32_t*>(out));
      case 8:
        return TakeFew(reinterpret_cast<const uint64_t*>(v.data), idx, valid, n,
                       reinterpret_cast<uint64_t*>(out));
    }
  }
  // Gathers with 32-bit lanes address at most 2^31 elements.
  const bool narrow_ok = v.count * v.width < (size_t{1} << 31);
  switch (v.width) {
    case 1:
      if (narrow_ok) return GatherNarrow(v.data, v.count, idx, valid, n, out);
      break;
    case 2:
      if (narrow_ok) {
        return GatherNarrow(v.data, v.count, idx, valid, n, reinterpret_cast<uint16_t*>(out));
      }
      break;
    case 4:
      if constexpr (sizeof(I) == 4) {
        if (narrow_ok) {
          return GatherSameWidth(reinterpret_cast<const uint32_t*>(v.data), idx, valid, n,
                                 reinterpret_cast<uint32_t*>(out));
        }
      } else if (narrow_ok) {
        return GatherNarrow(v.data, v.count, idx, valid, n, reinterpret_cast<uint32_t*>(out));
      }
      break;
    case 8:
      return GatherSameWidth(reinterpret_cast<const uint64_t*>(v.data), idx, valid, n,
                             reinterpret_cast<uint64_t*>(out));
    case 16:
      return CopyRows<16>(v.data, idx, valid, n, out);
    case 512:
      return CopyRows<512>(v.data, idx, valid, n, out);
  }
  for (size_t j = 0; j < n; ++j) {  // beyond the gathers' reach
    const bool ok = valid == nullptr || BitIsSet(valid, j);
    std::memcpy(out + j * v.width, v.data + (ok ? static_cast<size_t>(idx[j]) : 0) * v.width,
                v.width);
  }
}

void TakeFixedImpl(const FixedValues& values, const Indices& indices, uint8_t* HWY_RESTRICT out,
                   uint8_t* HWY_RESTRICT out_validity) {
  const bool i32 = indices.width == IndexWidth::k32;
  if (i32) {
    TakeFixedTyped<uint32_t>(values, indices, out);
  } else {
    TakeFixedTyped<uint64_t>(values, indices, out);
  }
  if (out_validity == nullptr) return;
  if (i32) {
    OutputValidity<uint32_t>(values.validity, values.count, indices, out_validity);
  } else {
    OutputValidity<uint64_t>(values.validity, values.count, indices, out_validity);
  }
}

// Copies len bytes; when a vector more is readable and writable, in whole
// vectors (the bytes past len are rewritten by later strings).
HWY_INLINE void CopyString(const uint8_t* src, const uint8_t* src_end, uint8_t* dst,
                           const uint8_t* dst_end, size_t len) {
  const hn::CappedTag<uint8_t, 64> d;
  const size_t step = hn::Lanes(d);
  if (src + len + step <= src_end && dst + len + step <= dst_end) {
    for (size_t k = 0; k < len; k += step) hn::StoreU(hn::LoadU(d, src + k), d, dst + k);
    return;
  }
  std::memcpy(dst, src, len);
}

// take_bytes: (1) each slot's length into out_offsets[j + 1], (2) the
// prefix sum, (3) the bytes.
template <typename O, typename I>
size_t TakeBytes(const BinaryValues& v, const Indices& ix, O* HWY_RESTRICT out_off,
                 uint8_t* HWY_RESTRICT out_data) {
  const O* off = static_cast<const O*>(v.offsets);
  const I* idx = static_cast<const I*>(ix.data);
  const size_t n = ix.n;
  out_off[0] = 0;
  size_t j = 0;
  if constexpr (sizeof(I) <= sizeof(O)) {  // index lanes as wide as the offsets'
    if (v.validity == nullptr && v.count > 0) {
      // Lengths by two gathers per vector: offsets[idx + 1] - offsets[idx];
      // a null index (zeroed by LoadIndices) is masked to length 0.
      using TO = hwy::MakeSigned<O>;
      const IndexTag<TO> d;
      const hn::RebindToUnsigned<decltype(d)> du;
      const size_t step = hn::Lanes(d);
      const TO* base = reinterpret_cast<const TO*>(off);
      const auto lane_bit = [&] {
        if constexpr (sizeof(O) == 4)
          return hn::LoadU(du, kLaneBit32);
        else
          return hn::LoadU(du, kLaneBit64);
      }();
      for (; j + step <= n; j += step) {
        const auto index = LoadIndices(d, idx, ix.validity, j, n);
        auto len = hn::Sub(hn::GatherIndex(d, base + 1, index), hn::GatherIndex(d, base, index));
        if (ix.validity != nullptr) {
          const auto window =
              hn::Set(du, static_cast<hn::TFromD<decltype(du)>>(BitWindow16(ix.validity, j, n)));
          len = hn::IfThenElseZero(hn::RebindMask(d, hn::TestBit(window, lane_bit)), len);
        }
        hn::StoreU(len, d, reinterpret_cast<TO*>(out_off) + j + 1);
      }
    }
  }
  for (; j < n; ++j) {
    const bool ok = (ix.validity == nullptr || BitIsSet(ix.validity, j)) &&
                    (v.validity == nullptr || BitIsSet(v.validity, static_cast<size_t>(idx[j])));
    const size_t i = ok ? static_cast<size_t>(idx[j]) : 0;
    out_off[j + 1] = ok ? off[i + 1] - off[i] : O{0};
  }
  O total = 0;
  for (size_t k = 1; k <= n; ++k) {
    total += out_off[k];
    out_off[k] = total;
  }
  const uint8_t* src_end = v.data + (v.count > 0 ? static_cast<size_t>(off[v.count]) : 0);
  const uint8_t* dst_end = out_data + static_cast<size_t>(total);
  for (size_t k = 0; k < n; ++k) {
    const size_t len = static_cast<size_t>(out_off[k + 1] - out_off[k]);
    if (len == 0) continue;
    CopyString(v.data + off[idx[k]], src_end, out_data + out_off[k], dst_end, len);
  }
  return static_cast<size_t>(total);
}

size_t TakeBinaryImpl(const BinaryValues& values, const Indices& indices,
                      void* HWY_RESTRICT out_offsets, uint8_t* HWY_RESTRICT out_data,
                      uint8_t* HWY_RESTRICT out_validity) {
  const bool i32 = indices.width == IndexWidth::k32;
  size_t total;
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
      OutputValidity<uint32_t>(values.validity, values.count, indices, out_validity);
    } else {
      OutputValidity<uint64_t>(values.validity, values.count, indices, out_validity);
    }
  }
  return total;
}

// ==== END MUTABLE ========================================================

int64_t KernelTargetImpl() { return HWY_TARGET; }

}  // namespace HWY_NAMESPACE
}  // namespace lar::take
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace lar::take {

HWY_EXPORT(TakeFixedImpl);
HWY_EXPORT(TakeBinaryImpl);
HWY_EXPORT(KernelTargetImpl);

void TakeFixed(const FixedValues& values, const Indices& indices, uint8_t* HWY_RESTRICT out,
               uint8_t* HWY_RESTRICT out_validity) {
  HWY_DYNAMIC_DISPATCH(TakeFixedImpl)(values, indices, out, out_validity);
}

size_t TakeBinary(const BinaryValues& values, const Indices& indices,
                  void* HWY_RESTRICT out_offsets, uint8_t* HWY_RESTRICT out_data,
                  uint8_t* HWY_RESTRICT out_validity) {
  return HWY_DYNAMIC_DISPATCH(TakeBinaryImpl)(values, indices, out_offsets, out_data, out_validity);
}

int64_t KernelTarget() { return HWY_DYNAMIC_DISPATCH(KernelTargetImpl)(); }

}  // namespace lar::take
#endif  // HWY_ONCE
