// ivf-partition inputs: the speed workloads and the correctness battery. Immutable
// for agents.
#ifndef LAR_TARGETS_IVF_PARTITION_INPUTS_H_
#define LAR_TARGETS_IVF_PARTITION_INPUTS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "data/vectors.h"
#include "targets/ivf-partition/ivf_partition.h"

namespace lar::ivf_partition {

struct WorkloadSpec {
  Shape shape;
  data::Distribution distribution;
};

// TODO(ivf-partition): the shapes and distributions Lance's callers really use.
std::vector<WorkloadSpec> SpeedWorkloads(bool quick);

// Input slots per speed combo; each is redrawn after use.
inline constexpr size_t kSlots = 16;

struct BatteryCase {
  std::string name;
  Shape shape;
  data::Distribution distribution;
  size_t misalign = 0;  // elements added to every pointer
};

// TODO(ivf-partition): adversarial data and edge sizes for this kernel.
std::vector<BatteryCase> Battery(bool quick);

// n floats of the case's distribution.
std::vector<float> DrawInput(const BatteryCase& c, uint64_t seed);

}  // namespace lar::ivf_partition

#endif  // LAR_TARGETS_IVF_PARTITION_INPUTS_H_
