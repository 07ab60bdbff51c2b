// dictionary inputs: dictionaries (fixed-width values or strings) of
// cardinality C, index pages (u8 / u16 / u32; uniform, Zipf, run-heavy; or
// bit-packed as Lance stores them), the speed workloads and the battery.
// Immutable for agents.
#ifndef LAR_TARGETS_DICTIONARY_INPUTS_H_
#define LAR_TARGETS_DICTIONARY_INPUTS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/prng.h"
#include "targets/bitpack/inputs.h"
#include "targets/dictionary/dictionary.h"

namespace lar::dictionary {

enum class Dist {
  kUniform,  // uniform over the dictionary
  kZipf,     // rank r with probability ~ 1/r (s = 1), ranks scattered over the dictionary
  kRuns,     // runs of 1..256 equal indices
};
const char* DistName(Dist d);

enum class Kind { kFixed, kBinary, kPacked };  // kPacked: fixed values, bit-packed u32 indices

struct DictSpec {
  Kind kind = Kind::kFixed;
  size_t width = 16;                       // fixed values: 4, 8 or 16 bytes
  OffsetWidth offsets = OffsetWidth::k32;  // strings
  size_t avg_len = 16;                     // strings: lengths uniform in [0, 2 avg]
  size_t cardinality = 256;                // C
  IndexWidth index = IndexWidth::k32;      // kPacked: always u32
  size_t n = 0;                            // indices
  Dist dist = Dist::kUniform;
};
std::string ShapeName(const DictSpec& s);         // "(16B,u32,C=1024,n=65536)"
std::string DistributionName(const DictSpec& s);  // "uniform"

struct DictData {
  DictSpec spec;
  std::vector<uint64_t> fixed;  // C * width bytes
  std::vector<uint32_t> off32;  // strings: C + 1, from 0
  std::vector<uint64_t> off64;
  std::vector<uint8_t> bytes;
  size_t max_len = 0;
  FixedDictionary Fixed() const;
  BinaryDictionary Binary() const;
};
DictData DrawDictionary(const DictSpec& s, SplitMix64& rng);

struct IndexData {
  std::vector<uint8_t> u8;
  std::vector<uint16_t> u16;
  std::vector<uint32_t> u32;  // also the values of a packed page
  bitpack::Packed packed;     // kPacked: u32 InlineBitpacking at W <= ceil(log2 C)
};
void DrawIndices(const DictSpec& s, SplitMix64& rng, IndexData* out);
DictIndices View(const DictSpec& s, const IndexData& d);

using WorkloadSpec = DictSpec;
std::vector<WorkloadSpec> SpeedWorkloads(bool quick);

// Input slots per speed combo; each is redrawn after use.
inline constexpr size_t kSlots = 4;

struct BatteryCase {
  std::string name;
  DictSpec spec;
  size_t misalign = 0;  // elements added to every pointer
};
std::vector<BatteryCase> Battery(bool quick);

}  // namespace lar::dictionary

#endif  // LAR_TARGETS_DICTIONARY_INPUTS_H_
