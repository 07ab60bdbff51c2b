// ivf-partition inputs: speed workloads from cache-resident (C=256, D=128)
// to memory-bound (C=16384, D=1536, 100 MB of centroids), every metric, and
// a correctness battery (edge C and D, nprobes beyond C, duplicated
// centroids with tied distances, zero and NaN queries, misaligned
// pointers). Immutable for agents.
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

std::vector<WorkloadSpec> SpeedWorkloads(bool quick);
// C centroids of the distribution (unit length for the cosine metric,
// as k-means over normalized vectors gives).
std::vector<float> BuildCentroids(const Shape& shape, data::Distribution d, uint64_t seed);
std::string ShapeName(const Shape& s);

inline constexpr size_t kQuerySlots = 16;

enum class QueryKind { kNormal, kZero, kNaN };

struct BatteryCase {
  std::string name;
  Shape shape;
  data::Distribution distribution;
  size_t misalign = 0;
  bool duplicated = false;  // every centroid three times: exact ties
  QueryKind query = QueryKind::kNormal;
};

std::vector<BatteryCase> Battery(bool quick);
std::vector<float> BuildCentroids(const BatteryCase& c, uint64_t seed);
std::vector<float> DrawQuery(const BatteryCase& c, uint64_t seed);

}  // namespace lar::ivf_partition

#endif  // LAR_TARGETS_IVF_PARTITION_INPUTS_H_
