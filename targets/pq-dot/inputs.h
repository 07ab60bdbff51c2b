// pq-dot inputs: the speed workloads (the PQ targets' shapes, 20,000
// vectors, k-means codebooks) and the correctness battery (adversarial data,
// edge sizes, misaligned pointers, NaN/inf queries). Immutable for agents.
#ifndef LAR_TARGETS_PQ_DOT_INPUTS_H_
#define LAR_TARGETS_PQ_DOT_INPUTS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "data/pq.h"
#include "targets/pq-dot/pq_dot.h"

namespace lar::pq_dot {

struct Dataset {
  Shape shape;
  size_t n = 0;
  std::vector<float> codebook;  // [M][256][D/M]
  std::vector<uint8_t> codes;   // [M][N]
};

struct WorkloadSpec {
  Shape shape;
  data::Distribution distribution;
  size_t base_vectors;
  size_t train_vectors;
};

// (128,16,256), (256,16,256), (768,96,256) x clustered, uniform, sparse;
// 20,000 vectors, codebook trained on 4,096 rows (quick: 2,000 and 512).
std::vector<WorkloadSpec> SpeedWorkloads(bool quick);
Dataset BuildTrainedDataset(const WorkloadSpec& spec, uint64_t seed);

inline constexpr size_t kQuerySlots = 32;

enum class QueryKind { kNormal, kNaN, kPosInf, kNegInf };

struct BatteryCase {
  std::string name;
  Shape shape;
  data::Distribution distribution;
  size_t n = 0;
  size_t misalign = 0;
  QueryKind query = QueryKind::kNormal;
};

std::vector<BatteryCase> Battery(bool quick);
Dataset BuildRandomDataset(const BatteryCase& c, uint64_t seed);
std::vector<float> DrawQuery(const BatteryCase& c, uint64_t seed);

}  // namespace lar::pq_dot

#endif  // LAR_TARGETS_PQ_DOT_INPUTS_H_
