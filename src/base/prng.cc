// SplitMix64 draws: bounded integers and normals.
#include "base/prng.h"

#include <cmath>

namespace lar {

uint64_t SplitMix64::Below(uint64_t n) {
  // Multiply-shift with rejection of the biased low region.
  __extension__ typedef unsigned __int128 U128;  // GCC/Clang: a full 64x64 product
  U128 m = static_cast<U128>(Next()) * n;
  uint64_t low = static_cast<uint64_t>(m);
  if (low < n) {
    const uint64_t threshold = -n % n;
    while (low < threshold) {
      m = static_cast<U128>(Next()) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

double SplitMix64::Normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  // 1 - U keeps the argument of log in (0, 1].
  const double u1 = 1.0 - Uniform01();
  const double u2 = Uniform01();
  const double radius = std::sqrt(-2.0 * std::log(u1));
  const double angle = 2.0 * M_PI * u2;
  spare_ = radius * std::sin(angle);
  has_spare_ = true;
  return radius * std::cos(angle);
}

uint64_t DeriveSeed(uint64_t seed, uint64_t label) {
  SplitMix64 a(seed ^ (label * 0xD1B54A32D192ED03ull));
  a.Next();
  return a.Next();
}

uint64_t DeriveSeed(uint64_t seed, const char* label) {
  // FNV-1a of the label, then mixed with the seed.
  uint64_t h = 0xCBF29CE484222325ull;
  for (const char* p = label; *p != '\0'; ++p) {
    h = (h ^ static_cast<unsigned char>(*p)) * 0x100000001B3ull;
  }
  return DeriveSeed(seed, h);
}

}  // namespace lar
