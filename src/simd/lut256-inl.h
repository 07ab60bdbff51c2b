// Lookups in a 256-entry float table held in registers, for PQ scans with
// 8-bit codes: no memory access per element, which beats both gathers and
// scalar loads on current x86 cores.
// - AVX3_DL (VBMI): the table as 4 byte planes; 64 lookups are 8 byte
//   permutes (vpermi2b, 128 entries each) + 4 blends + 8 unpacks that
//   reassemble the floats bit for bit (LAR_HAVE_BYTE_LUT256).
// - AVX3: 16 lookups are 8 two-table float permutes (32 entries each) and 7
//   blends chosen by code bits 5..7 (LAR_HAVE_LUT256).
// Other targets have neither and use scalar lookups.
//
// Include inside HWY_NAMESPACE of a foreach_target kernel file.

// Per-target include guard (Highway's -inl.h convention).
#if defined(LAR_SIMD_LUT256_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef LAR_SIMD_LUT256_INL_H_
#undef LAR_SIMD_LUT256_INL_H_
#else
#define LAR_SIMD_LUT256_INL_H_
#endif

#undef LAR_HAVE_LUT256
#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
#define LAR_HAVE_LUT256 1

// The 256 entries of one table row, 16 per register.
struct Table256 {
  __m512 part[16];
};

HWY_INLINE Table256 LoadTable256(const float* HWY_RESTRICT row) {
  Table256 t;
  for (int i = 0; i < 16; ++i) t.part[i] = _mm512_loadu_ps(row + 16 * i);
  return t;
}

// row[code] for 16 codes (int32 lanes holding 0..255).
HWY_INLINE hwy::HWY_NAMESPACE::Vec512<float> Lookup256(const Table256& t,
                                                       hwy::HWY_NAMESPACE::Vec512<int32_t> codes) {
  const __m512i idx = codes.raw;
  // Bit 4 selects between the two tables of each permute; bits 5..7 pick
  // which of the 8 permutes holds the entry.
  const __m512 p0 = _mm512_permutex2var_ps(t.part[0], idx, t.part[1]);
  const __m512 p1 = _mm512_permutex2var_ps(t.part[2], idx, t.part[3]);
  const __m512 p2 = _mm512_permutex2var_ps(t.part[4], idx, t.part[5]);
  const __m512 p3 = _mm512_permutex2var_ps(t.part[6], idx, t.part[7]);
  const __m512 p4 = _mm512_permutex2var_ps(t.part[8], idx, t.part[9]);
  const __m512 p5 = _mm512_permutex2var_ps(t.part[10], idx, t.part[11]);
  const __m512 p6 = _mm512_permutex2var_ps(t.part[12], idx, t.part[13]);
  const __m512 p7 = _mm512_permutex2var_ps(t.part[14], idx, t.part[15]);
  const __mmask16 b5 = _mm512_test_epi32_mask(idx, _mm512_set1_epi32(32));
  const __mmask16 b6 = _mm512_test_epi32_mask(idx, _mm512_set1_epi32(64));
  const __mmask16 b7 = _mm512_test_epi32_mask(idx, _mm512_set1_epi32(128));
  const __m512 q0 = _mm512_mask_blend_ps(b5, p0, p1);
  const __m512 q1 = _mm512_mask_blend_ps(b5, p2, p3);
  const __m512 q2 = _mm512_mask_blend_ps(b5, p4, p5);
  const __m512 q3 = _mm512_mask_blend_ps(b5, p6, p7);
  const __m512 r0 = _mm512_mask_blend_ps(b6, q0, q1);
  const __m512 r1 = _mm512_mask_blend_ps(b6, q2, q3);
  return hwy::HWY_NAMESPACE::Vec512<float>{_mm512_mask_blend_ps(b7, r0, r1)};
}

#else
#define LAR_HAVE_LUT256 0
#endif

#undef LAR_HAVE_BYTE_LUT256
#if HWY_TARGET == HWY_AVX3_DL
#define LAR_HAVE_BYTE_LUT256 1

// plane[p][c] holds byte p (little-endian) of entries 64c .. 64c+63.
struct BytePlanes256 {
  __m512i plane[4][4];
};

HWY_INLINE BytePlanes256 ToBytePlanes256(const float* HWY_RESTRICT row) {
  // Within one register of 16 floats, gather byte p of float f at byte
  // 16p + f: 128-bit lane p then holds plane p of those 16 floats.
  alignas(64) static constexpr uint8_t kByPlane[64] = {
      0,  4,  8,  12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60, 1,  5,  9,  13, 17, 21,
      25, 29, 33, 37, 41, 45, 49, 53, 57, 61, 2,  6,  10, 14, 18, 22, 26, 30, 34, 38, 42, 46,
      50, 54, 58, 62, 3,  7,  11, 15, 19, 23, 27, 31, 35, 39, 43, 47, 51, 55, 59, 63};
  const __m512i by_plane = _mm512_load_si512(kByPlane);
  BytePlanes256 t;
  for (int c = 0; c < 4; ++c) {
    __m512i y[4];
    for (int i = 0; i < 4; ++i) {
      y[i] = _mm512_permutexvar_epi8(by_plane, _mm512_loadu_si512(row + 64 * c + 16 * i));
    }
    // 4x4 transpose of 128-bit lanes: plane p = lane p of y0, y1, y2, y3.
    const __m512i a = _mm512_shuffle_i32x4(y[0], y[1], 0x44);
    const __m512i b = _mm512_shuffle_i32x4(y[2], y[3], 0x44);
    const __m512i cc = _mm512_shuffle_i32x4(y[0], y[1], 0xEE);
    const __m512i d = _mm512_shuffle_i32x4(y[2], y[3], 0xEE);
    t.plane[0][c] = _mm512_shuffle_i32x4(a, b, 0x88);
    t.plane[1][c] = _mm512_shuffle_i32x4(a, b, 0xDD);
    t.plane[2][c] = _mm512_shuffle_i32x4(cc, d, 0x88);
    t.plane[3][c] = _mm512_shuffle_i32x4(cc, d, 0xDD);
  }
  return t;
}

// The entries of 64 codes. The codes must be stored in "lookup order":
// position 16l + 4i + t holds the code of element 16i + 4l + t, which is
// what the byte unpacks below turn back into natural order; out[i] then
// holds the entries of elements 16i .. 16i+15.
HWY_INLINE void Lookup64(const BytePlanes256& t, const uint8_t* HWY_RESTRICT codes,
                         hwy::HWY_NAMESPACE::Vec512<float>* out) {
  const __m512i idx = _mm512_loadu_si512(codes);
  const __mmask64 upper = _mm512_movepi8_mask(idx);  // code bit 7
  __m512i b[4];
  for (int p = 0; p < 4; ++p) {
    const __m512i lo = _mm512_permutex2var_epi8(t.plane[p][0], idx, t.plane[p][1]);
    const __m512i hi = _mm512_permutex2var_epi8(t.plane[p][2], idx, t.plane[p][3]);
    b[p] = _mm512_mask_blend_epi8(upper, lo, hi);
  }
  const __m512i w01l = _mm512_unpacklo_epi8(b[0], b[1]);
  const __m512i w01h = _mm512_unpackhi_epi8(b[0], b[1]);
  const __m512i w23l = _mm512_unpacklo_epi8(b[2], b[3]);
  const __m512i w23h = _mm512_unpackhi_epi8(b[2], b[3]);
  out[0].raw = _mm512_castsi512_ps(_mm512_unpacklo_epi16(w01l, w23l));
  out[1].raw = _mm512_castsi512_ps(_mm512_unpackhi_epi16(w01l, w23l));
  out[2].raw = _mm512_castsi512_ps(_mm512_unpacklo_epi16(w01h, w23h));
  out[3].raw = _mm512_castsi512_ps(_mm512_unpackhi_epi16(w01h, w23h));
}

#else
#define LAR_HAVE_BYTE_LUT256 0
#endif

#endif  // LAR_SIMD_LUT256_INL_H_
