// bitpack inputs: pages of values, packed as Lance's InlineBitpacking does
// (per-chunk width from Lance's bit-width statistic, last chunk zero-padded),
// the speed workloads and the correctness battery. Immutable for agents.
#ifndef LAR_TARGETS_BITPACK_INPUTS_H_
#define LAR_TARGETS_BITPACK_INPUTS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/prng.h"
#include "targets/bitpack/bitpack.h"

namespace lar::bitpack {

// How a page's values are drawn.
enum class Dist {
  kUniform,    // uniform in [0, 2^width), each chunk at exactly W = width
  kAllOnes,    // every value 2^width - 1: every packed bit set
  kSkewed,     // per chunk a skewed width (most chunks narrow), small values likelier
  kMonotonic,  // ids 0, 1, 2, ... (mod 2^T): W grows with the position
  kNegative,   // small signed values, 1 in 4096 negative: those chunks go to W = T
  kVaried,     // per chunk W uniform in [0, T] (0 and T included)
};
const char* DistName(Dist d);

struct PageSpec {
  int bits = 32;  // T: 8, 16, 32 or 64
  size_t n = 0;   // values
  Dist dist = Dist::kUniform;
  int width = 0;  // kUniform, kAllOnes
};
// "(u32,65536)" and "W=8" / "skewed" ...: a combo's shape and distribution.
std::string ShapeName(const PageSpec& s);
std::string DistributionName(const PageSpec& s);

// n values of T bits (zero-extended to 64).
std::vector<uint64_t> DrawValues(const PageSpec& s, SplitMix64& rng);

// A packed page: T words in 8-byte storage (so any T reads aligned).
struct Packed {
  int bits = 32;
  size_t n = 0;
  size_t words = 0;  // T words, headers included
  std::vector<uint64_t> storage;
  std::vector<int> widths;  // per chunk
  size_t bytes() const { return words * static_cast<size_t>(bits) / 8; }
  template <typename T>
  const T* data() const {
    return reinterpret_cast<const T*>(storage.data());
  }
};
// Lance's InlineBitpacking::bitpack_chunked with the FastLanes pack order.
Packed Pack(int bits, const std::vector<uint64_t>& values);

using WorkloadSpec = PageSpec;
std::vector<WorkloadSpec> SpeedWorkloads(bool quick);

// Input slots per speed combo, and the packed pages of a combo they rotate
// through (more pages than slots, so a slot sees a new page each time):
// few enough that the 64K-value combos stay in L2 (docs/targets/bitpack.md).
inline constexpr size_t kSlots = 4;
inline constexpr size_t kPagesPerCombo = 5;

struct BatteryCase {
  std::string name;
  PageSpec spec;
  size_t misalign = 0;  // T elements added to both pointers
};

std::vector<BatteryCase> Battery(bool quick);

}  // namespace lar::bitpack

#endif  // LAR_TARGETS_BITPACK_INPUTS_H_
