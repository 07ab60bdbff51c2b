// take inputs: value columns (fixed-width or strings, with or without
// nulls), index sets (u32 / u64; uniform, sorted, clustered runs,
// duplicate-heavy; with or without null indices), the speed workloads and
// the correctness battery. Immutable for agents.
#ifndef LAR_TARGETS_TAKE_INPUTS_H_
#define LAR_TARGETS_TAKE_INPUTS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/prng.h"
#include "targets/take/take.h"

namespace lar::take {

enum class Pattern {
  kUniform,     // uniform over the values
  kSorted,      // uniform, then sorted ascending (Lance sorts row addresses before reads)
  kClustered,   // runs of 1..64 consecutive rows from random starts
  kDuplicates,  // 64 distinct rows, repeated
};
const char* PatternName(Pattern p);

struct Column {
  bool binary = false;
  size_t width = 4;                        // fixed: bytes per value
  OffsetWidth offsets = OffsetWidth::k32;  // binary
  size_t avg_len = 16;                     // binary: lengths uniform in [0, 2 avg]
  size_t count = 0;                        // values
  bool nulls = false;                      // 10% of values null
};

struct TakeSpec {
  Column column;
  IndexWidth index = IndexWidth::k32;
  size_t n = 0;  // indices
  Pattern pattern = Pattern::kUniform;
  bool nulls = false;  // 10% of indices null (holding any value)
};
std::string ShapeName(const TakeSpec& s);         // "(w4,u32,1000 of 65536)"
std::string DistributionName(const TakeSpec& s);  // "uniform" / "sorted nulls"

// A value column; string offsets start at a non-zero base (a slice).
struct ValueData {
  Column column;
  std::vector<uint64_t> fixed;  // count * width bytes, 8-byte aligned
  std::vector<int32_t> off32;   // binary, count + 1
  std::vector<int64_t> off64;
  std::vector<uint8_t> bytes;
  std::vector<uint8_t> validity;  // empty: no nulls
  size_t max_len = 0;             // longest string
  FixedValues Fixed() const;
  BinaryValues Binary() const;
};
ValueData DrawValueData(const Column& c, SplitMix64& rng);

struct IndexData {
  std::vector<uint32_t> u32;
  std::vector<uint64_t> u64;
  std::vector<uint8_t> validity;  // empty: no nulls
};
void DrawIndices(const TakeSpec& s, SplitMix64& rng, IndexData* out);
Indices View(const TakeSpec& s, const IndexData& d);

using WorkloadSpec = TakeSpec;
std::vector<WorkloadSpec> SpeedWorkloads(bool quick);

// Input slots per speed combo; each is redrawn after use.
inline constexpr size_t kSlots = 4;

struct BatteryCase {
  std::string name;
  TakeSpec spec;
  size_t misalign = 0;  // elements added to the index and value pointers
};
std::vector<BatteryCase> Battery(bool quick);

}  // namespace lar::take

#endif  // LAR_TARGETS_TAKE_INPUTS_H_
