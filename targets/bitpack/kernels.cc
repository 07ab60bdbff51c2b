// bitpack kernels: THE AGENT'S FILE. Everything about speed lives here; the
// contract is targets/bitpack/bitpack.h, the rules are program.md. Edit between
// the MUTABLE fences; the dispatch boilerplate outside them stays as is.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "targets/bitpack/kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "targets/bitpack/bitpack.h"

// ==== BEGIN MUTABLE: prepared state (compiled once) ======================
#ifndef LAR_TARGETS_BITPACK_KERNELS_STATE_
#define LAR_TARGETS_BITPACK_KERNELS_STATE_
#include <cstring>

namespace lar::bitpack {

// Where row r's values start in the chunk: a row's lanes are contiguous
// outputs (16 kFlOrder[r / 8] + 128 (r mod 8) + lane), so a row is a run of
// full-vector stores.
inline constexpr size_t RowBase(int row) {
  return static_cast<size_t>(kFlOrder[row / 8] * 16 + (row % 8) * 128);
}

}  // namespace lar::bitpack
#endif  // LAR_TARGETS_BITPACK_KERNELS_STATE_
// ==== END MUTABLE ========================================================

HWY_BEFORE_NAMESPACE();
namespace lar::bitpack {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// ==== BEGIN MUTABLE: per-ISA kernels =====================================

// One chunk, row by row: row r of lane l is bits [r W, r W + W) of the
// lane's stream, so for a vector of lanes it is one shift of packed word k
// (plus the next word, shifted up, when the row straddles two words), a
// mask and a contiguous store. The reference walks lane by lane with one
// scalar value at a time; here a vector covers 16 (u32, AVX-512) lanes.
template <class D, typename T = hn::TFromD<D>>
HWY_INLINE void UnpackChunk(D d, const T* HWY_RESTRICT packed, int width, T* HWY_RESTRICT out) {
  constexpr int kT = static_cast<int>(sizeof(T) * 8);
  constexpr size_t kLanes = kChunkValues / kT;
  const size_t step = hn::Lanes(d);
  if (width == 0) {
    const auto zero = hn::Zero(d);
    for (size_t i = 0; i < kChunkValues; i += step) hn::StoreU(zero, d, out + i);
    return;
  }
  if (width == kT) {  // a permuted copy
    for (int row = 0; row < kT; ++row) {
      const T* p = packed + static_cast<size_t>(row) * kLanes;
      T* o = out + RowBase(row);
      for (size_t g = 0; g < kLanes; g += step) hn::StoreU(hn::LoadU(d, p + g), d, o + g);
    }
    return;
  }
  const auto mask = hn::Set(d, static_cast<T>((T{1} << width) - 1));
  for (int row = 0; row < kT; ++row) {
    const int bit = row * width, shift = bit % kT;
    const T* p = packed + static_cast<size_t>(bit / kT) * kLanes;
    T* o = out + RowBase(row);
    if (shift + width > kT) {
      const int up = kT - shift;
      for (size_t g = 0; g < kLanes; g += step) {
        const auto lo = hn::ShiftRightSame(hn::LoadU(d, p + g), shift);
        const auto hi = hn::ShiftLeftSame(hn::LoadU(d, p + kLanes + g), up);
        hn::StoreU(hn::And(hn::Or(lo, hi), mask), d, o + g);
      }
    } else {
      for (size_t g = 0; g < kLanes; g += step) {
        hn::StoreU(hn::And(hn::ShiftRightSame(hn::LoadU(d, p + g), shift), mask), d, o + g);
      }
    }
  }
}

// Full chunks decode straight into the caller's output; the last partial
// one into a stack buffer, of which only its values are copied out (Lance
// pads it to 1024 values; the padding must not reach the output).
template <typename T>
size_t UnpackPage(const T* HWY_RESTRICT packed, size_t n, T* HWY_RESTRICT out) {
  constexpr int kT = static_cast<int>(sizeof(T) * 8);
  // No wider than a lane row (1024 / T lanes), whatever the ISA's vectors.
  const hn::CappedTag<T, kChunkValues / kT> d;
  const T* at = packed;
  size_t done = 0;
  for (; done + kChunkValues <= n; done += kChunkValues) {
    const int width = static_cast<int>(at[0]);
    UnpackChunk(d, at + 1, width, out + done);
    at += 1 + kChunkValues * static_cast<size_t>(width) / kT;
  }
  if (done < n) {
    HWY_ALIGN T chunk[kChunkValues];
    const int width = static_cast<int>(at[0]);
    UnpackChunk(d, at + 1, width, chunk);
    std::memcpy(out + done, chunk, (n - done) * sizeof(T));
    at += 1 + kChunkValues * static_cast<size_t>(width) / kT;
  }
  return static_cast<size_t>(at - packed);
}

size_t Unpack8Impl(const uint8_t* HWY_RESTRICT packed, size_t n, uint8_t* HWY_RESTRICT out) {
  return UnpackPage(packed, n, out);
}
size_t Unpack16Impl(const uint16_t* HWY_RESTRICT packed, size_t n, uint16_t* HWY_RESTRICT out) {
  return UnpackPage(packed, n, out);
}
size_t Unpack32Impl(const uint32_t* HWY_RESTRICT packed, size_t n, uint32_t* HWY_RESTRICT out) {
  return UnpackPage(packed, n, out);
}
size_t Unpack64Impl(const uint64_t* HWY_RESTRICT packed, size_t n, uint64_t* HWY_RESTRICT out) {
  return UnpackPage(packed, n, out);
}

// ==== END MUTABLE ========================================================

int64_t KernelTargetImpl() { return HWY_TARGET; }

}  // namespace HWY_NAMESPACE
}  // namespace lar::bitpack
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace lar::bitpack {

HWY_EXPORT(Unpack8Impl);
HWY_EXPORT(Unpack16Impl);
HWY_EXPORT(Unpack32Impl);
HWY_EXPORT(Unpack64Impl);
HWY_EXPORT(KernelTargetImpl);

size_t Unpack8(const uint8_t* HWY_RESTRICT packed, size_t n, uint8_t* HWY_RESTRICT out) {
  return HWY_DYNAMIC_DISPATCH(Unpack8Impl)(packed, n, out);
}
size_t Unpack16(const uint16_t* HWY_RESTRICT packed, size_t n, uint16_t* HWY_RESTRICT out) {
  return HWY_DYNAMIC_DISPATCH(Unpack16Impl)(packed, n, out);
}
size_t Unpack32(const uint32_t* HWY_RESTRICT packed, size_t n, uint32_t* HWY_RESTRICT out) {
  return HWY_DYNAMIC_DISPATCH(Unpack32Impl)(packed, n, out);
}
size_t Unpack64(const uint64_t* HWY_RESTRICT packed, size_t n, uint64_t* HWY_RESTRICT out) {
  return HWY_DYNAMIC_DISPATCH(Unpack64Impl)(packed, n, out);
}

int64_t KernelTarget() { return HWY_DYNAMIC_DISPATCH(KernelTargetImpl)(); }

}  // namespace lar::bitpack
#endif  // HWY_ONCE
