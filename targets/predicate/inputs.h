// predicate inputs: the speed workloads (one 8,192-row batch of every type
// and a 16M-row column scan, at selectivities 0.1% to 90%) and the
// correctness battery (every type x op, NaN / +-0 / +-inf / integer
// extremes, all-null, no-null and sliced validity bitmaps, n not a
// multiple of 64, misaligned slices). Immutable for agents.
#ifndef LAR_TARGETS_PREDICATE_INPUTS_H_
#define LAR_TARGETS_PREDICATE_INPUTS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/prng.h"
#include "targets/predicate/predicate.h"

namespace lar::predicate {

// A column as the kernel sees it, with owned storage: `values` as raw
// 64-bit words (element-aligned for every type), `validity` exactly
// ceil((offset + rows) / 8) bytes, or empty for no null buffer.
struct ColumnData {
  Type type = Type::kI32;
  size_t rows = 0;
  std::vector<uint64_t> values;
  std::vector<uint8_t> validity;
  size_t validity_offset = 0;
  bool nullable = false;
};

// ---- Speed workloads ------------------------------------------------------

struct WorkloadSpec {
  Type type;
  size_t n;            // rows per operation: 8,192 (a batch) or 16M (a scan)
  Op op;               // one op per selectivity (SelectivityOp)
  double selectivity;  // fraction of rows the predicate keeps
};

std::vector<WorkloadSpec> SpeedWorkloads(bool quick);
std::string ShapeName(const WorkloadSpec& w);
std::string DistributionName(const WorkloadSpec& w);

// The untimed data of a combo: a column of `batches` x n rows whose values
// are one of 1,000 evenly spaced levels per type (dates, timestamps,
// prices), so a literal picks the selectivity exactly. Batches carry 1%
// nulls; the 16M scan has no null buffer (Lance's common non-null column).
struct SpeedData {
  WorkloadSpec spec;
  size_t batches = 1;
  std::shared_ptr<const ColumnData> column;
};
SpeedData BuildSpeedData(const WorkloadSpec& spec, bool cached);

// One timed operation's input: which batch, and the literal(s), drawn so
// that the selectivity stays within +-10% of the combo's.
struct Slot {
  size_t batch = 0;
  Predicate predicate;
};
void DrawSlot(const SpeedData& data, SplitMix64& rng, Slot* slot);

inline constexpr size_t kSlots = 16;

// ---- Battery ---------------------------------------------------------------

enum class Values {
  kLevels,   // the speed workload's 1,000 levels: ties, == hits
  kRandom,   // any bit pattern (floats: NaN payloads, subnormals too)
  kSpecial,  // NaN of both signs, +-0, +-inf, min/max, near the literal
  kEqual,    // every row equal to the literal
};
enum class Nulls {
  kNone,     // no null buffer
  kNoNull,   // a null buffer with every bit set
  kSome,     // 1 in 8 rows null
  kHalf,     // 50% null
  kAllNull,  // every row null
};

struct BatteryCase {
  std::string name;
  Type type;
  Op op;
  size_t n;
  Values values;
  Nulls nulls;
  size_t validity_offset = 0;  // bits
  size_t misalign = 0;         // elements added to the values pointer
};

std::vector<BatteryCase> Battery(bool quick);

// The case's column and predicate (literals drawn from the column's own
// values or from the special values, so == and the bounds hit).
void DrawCase(const BatteryCase& c, uint64_t seed, ColumnData* column, Predicate* predicate);

}  // namespace lar::predicate

#endif  // LAR_TARGETS_PREDICATE_INPUTS_H_
