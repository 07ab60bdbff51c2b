// The monotonic clock and the optimization barriers every timed region uses.
#ifndef LAR_HARNESS_TIMER_H_
#define LAR_HARNESS_TIMER_H_

#include <time.h>

#include <cstdint>

namespace lar {

// Monotonic nanoseconds (CLOCK_MONOTONIC: never jumps with wall-clock
// changes; about 20 ns per read, negligible against a >= 20 us sample).
inline uint64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

// Makes `value` observable so the compiler cannot delete the work that
// produced it (google/benchmark's DoNotOptimize).
template <class T>
inline void DoNotOptimize(T const& value) {
  asm volatile("" : : "r,m"(value) : "memory");
}

// Forces pending stores to be considered visible (no reordering across it).
inline void ClobberMemory() { asm volatile("" : : : "memory"); }

}  // namespace lar

#endif  // LAR_HARNESS_TIMER_H_
