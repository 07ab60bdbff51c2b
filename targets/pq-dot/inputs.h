// pq-dot inputs: the speed workloads and the correctness battery. Immutable
// for agents.
#ifndef LAR_TARGETS_PQ_DOT_INPUTS_H_
#define LAR_TARGETS_PQ_DOT_INPUTS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "data/vectors.h"
#include "targets/pq-dot/pq_dot.h"

namespace lar::pq_dot {

struct WorkloadSpec {
  Shape shape;
  data::Distribution distribution;
};

// TODO(pq-dot): the shapes and distributions Lance's callers really use.
std::vector<WorkloadSpec> SpeedWorkloads(bool quick);

// Input slots per speed combo; each is redrawn after use.
inline constexpr size_t kSlots = 16;

struct BatteryCase {
  std::string name;
  Shape shape;
  data::Distribution distribution;
  size_t misalign = 0;  // elements added to every pointer
};

// TODO(pq-dot): adversarial data and edge sizes for this kernel.
std::vector<BatteryCase> Battery(bool quick);

// n floats of the case's distribution.
std::vector<float> DrawInput(const BatteryCase& c, uint64_t seed);

}  // namespace lar::pq_dot

#endif  // LAR_TARGETS_PQ_DOT_INPUTS_H_
