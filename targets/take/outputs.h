// take outputs: what one take writes (a side's scratch in a speed combo, or
// a battery case's answer), how any implementation is run into them, and the
// comparison rule (validity, then the valid slots' values; for strings the
// total, the offsets and the bytes). Immutable for agents.
#ifndef LAR_TARGETS_TAKE_OUTPUTS_H_
#define LAR_TARGETS_TAKE_OUTPUTS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/target.h"
#include "targets/take/inputs.h"
#include "targets/take/take.h"

namespace lar::take {

struct Outputs {
  std::vector<uint64_t> values;   // fixed: [n * width] bytes
  std::vector<int64_t> offsets;   // strings: [n + 1] of the offset width
  std::vector<uint8_t> data;      // strings: the bytes (capacity)
  std::vector<uint8_t> validity;  // [ceil(n / 8)] when either input has nulls
  std::vector<uint32_t> child;    // the reference's FixedSizeList child indices
  size_t total = 0;               // strings: bytes taken
};
Outputs MakeOutputs(const TakeSpec& s, size_t data_capacity, bool with_validity);

// Where an answer lies (Outputs, or a battery case's guarded buffers).
struct OutputView {
  const uint8_t* values = nullptr;
  const uint8_t* offsets = nullptr;
  const uint8_t* data = nullptr;
  const uint8_t* validity = nullptr;  // null: no validity output
  size_t total = 0;
};
OutputView ViewOf(const Outputs& o);

size_t OffsetBytes(const Column& c);

// Runs one take (fixed or strings, as the spec says) into `o`.
void RunTake(const TakeSpec& s, const ValueData& v, const Indices& ix, Outputs* o,
             const KernelApi& api);
void RunReferenceTake(const TakeSpec& s, const ValueData& v, const Indices& ix, Outputs* o);

std::optional<Mismatch> CompareOutputs(const TakeSpec& s, const OutputView& ref,
                                       const OutputView& got, const std::string& who);

}  // namespace lar::take

#endif  // LAR_TARGETS_TAKE_OUTPUTS_H_
