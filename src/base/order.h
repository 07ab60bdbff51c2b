// IEEE totalOrder keys: floats compared as signed integers, so rankings
// with NaN and -0 are total and the same in the reference, the SIMD
// helpers and the checks.
#ifndef LAR_BASE_ORDER_H_
#define LAR_BASE_ORDER_H_

#include <cstdint>

namespace lar {

// -NaN < -inf < ... < -0 < +0 < ... < +inf < +NaN.
inline int32_t TotalOrderKey(float v) {
  int32_t bits;
  __builtin_memcpy(&bits, &v, sizeof(bits));
  return bits ^ ((bits >> 31) & 0x7FFFFFFF);
}

}  // namespace lar

#endif  // LAR_BASE_ORDER_H_
