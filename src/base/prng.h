// SplitMix64: the deterministic generator behind every input lar draws, so a
// seed printed in a failure reproduces the exact same data on any machine.
#ifndef LAR_BASE_PRNG_H_
#define LAR_BASE_PRNG_H_

#include <cstdint>

namespace lar {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  // Uniform in [0, 1) with 53 random bits.
  double Uniform01() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  // Uniform in [lo, hi).
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform01(); }

  // Uniform integer in [0, n), n > 0, without modulo bias (Lemire's method).
  uint64_t Below(uint64_t n);

  // Standard normal draw (Box-Muller; the second value is cached so a stream
  // of draws costs one log/sqrt pair per two values).
  double Normal();

 private:
  uint64_t state_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

// Derives an independent stream seed from a parent seed and a label, so that
// adding a case never shifts the data of the cases after it.
uint64_t DeriveSeed(uint64_t seed, uint64_t label);
uint64_t DeriveSeed(uint64_t seed, const char* label);

}  // namespace lar

#endif  // LAR_BASE_PRNG_H_
