// pq-l2 inputs: the speed workloads (the seed's shapes, distributions and
// sizes) and the correctness battery (adversarial data, edge sizes,
// misaligned pointers). Immutable for agents.
#ifndef LAR_TARGETS_PQ_L2_INPUTS_H_
#define LAR_TARGETS_PQ_L2_INPUTS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "data/vectors.h"
#include "targets/pq-l2/pq_l2.h"

namespace lar::pq_l2 {

// One PQ-encoded partition: what a query scans.
struct Dataset {
  Shape shape;
  size_t n = 0;
  std::vector<float> codebook;  // [M][256][D/M]
  std::vector<uint8_t> codes;   // [M][N], Lance's transposed layout
};

struct WorkloadSpec {
  Shape shape;
  data::Distribution distribution;
  size_t base_vectors;   // N
  size_t train_vectors;  // k-means training rows
};

// (128,16,256), (256,16,256), (768,96,256) x clustered, uniform, sparse;
// 20,000 base vectors and 4,096 training rows (quick: 2,000 and 512).
std::vector<WorkloadSpec> SpeedWorkloads(bool quick);

// Codebook from a quick k-means (random init + 2 Lloyd iterations) on
// training rows of the distribution; codes = the base rows encoded.
Dataset BuildTrainedDataset(const WorkloadSpec& spec, uint64_t seed);

// Query slots per speed combo (the seed's 32 timed queries); each slot is
// redrawn after use.
inline constexpr size_t kQuerySlots = 32;

enum class QueryKind { kNormal, kNaN, kPosInf, kNegInf };

struct BatteryCase {
  std::string name;
  Shape shape;
  data::Distribution distribution;
  size_t n = 0;
  size_t misalign = 0;  // elements added to every pointer
  QueryKind query = QueryKind::kNormal;
};

// Shapes (incl. sub-vector widths 1, 3, 17, 32, 256) x distributions (incl.
// large dynamic range, mostly zero, offset), edge vector counts, misaligned
// pointers, and NaN/inf queries.
std::vector<BatteryCase> Battery(bool quick);

// A random codebook drawn from the case's distribution and uniform codes.
Dataset BuildRandomDataset(const BatteryCase& c, uint64_t seed);
std::vector<float> DrawQuery(const BatteryCase& c, uint64_t seed);

}  // namespace lar::pq_l2

#endif  // LAR_TARGETS_PQ_L2_INPUTS_H_
