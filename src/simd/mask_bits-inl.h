// A Highway mask as an integer, bit i = lane i (x86's movemask / AVX-512's
// k register), for kernels that build bitmaps (predicate) or scan compare
// results (posting lists). Highway 1.0.3's only portable way out is
// StoreMaskBits, which writes whole bytes: for vectors of fewer than 8
// lanes (SSE4's 4 x i32, AVX2's 4 x i64, SCALAR's 1) the bits of several
// vectors share a byte, and reading back a u64 after a narrower store
// stalls store forwarding. MaskBits returns the register value directly
// where the ISA has one, and falls back to StoreMaskBits elsewhere.
//
// Include inside HWY_NAMESPACE of a foreach_target kernel file (after
// `namespace hn = hwy::HWY_NAMESPACE;` is not required: names are spelled
// in full).

// Per-target include guard (Highway's -inl.h convention).
#if defined(LAR_SIMD_MASK_BITS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef LAR_SIMD_MASK_BITS_INL_H_
#undef LAR_SIMD_MASK_BITS_INL_H_
#else
#define LAR_SIMD_MASK_BITS_INL_H_
#endif

// Bits [0, Lanes(d)) of the result are the mask's lanes; the rest are 0.
template <class D>
HWY_INLINE uint64_t MaskBits(D d, hwy::HWY_NAMESPACE::Mask<D> mask) {
#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
  (void)d;
  constexpr size_t kLanes = hwy::HWY_NAMESPACE::MaxLanes(D());
  const uint64_t raw = static_cast<uint64_t>(mask.raw);
  return kLanes >= 64 ? raw : raw & ((uint64_t{1} << kLanes) - 1);
#elif HWY_TARGET == HWY_AVX2 || HWY_TARGET == HWY_SSE4 || HWY_TARGET == HWY_SSSE3
  (void)d;
  return hwy::HWY_NAMESPACE::detail::BitsFromMask(mask);
#elif HWY_TARGET == HWY_SCALAR
  (void)d;
  return mask.bits != 0 ? 1 : 0;
#else
  // NEON, SVE, RVV: lane by lane from the mask as a vector. Slower, but
  // correct for every vector length (SVE's run to 2048 bits, whose 32-bit
  // lanes still fit the 64 bits of the result).
  using T = hwy::HWY_NAMESPACE::TFromD<D>;
  T lanes[HWY_MAX_BYTES / sizeof(T)];
  hwy::HWY_NAMESPACE::StoreU(hwy::HWY_NAMESPACE::VecFromMask(d, mask), d, lanes);
  const size_t n = hwy::HWY_NAMESPACE::Lanes(d);
  uint64_t bits = 0;
  for (size_t i = 0; i < n && i < 64; ++i) {
    if (lanes[i] != T{0}) bits |= uint64_t{1} << i;
  }
  return bits;
#endif
}

#endif  // LAR_SIMD_MASK_BITS_INL_H_
