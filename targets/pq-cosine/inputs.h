// pq-cosine inputs: speed workloads built like a cosine IVF_PQ index (unit
// vectors, a partition centroid that is their mean, a codebook trained on
// residuals) and a correctness battery (edge sizes, misaligned pointers, a
// zero query, NaN/inf, residuals small next to the centroid, which breaks
// "centroid + codebook" rewrites). Immutable for agents.
#ifndef LAR_TARGETS_PQ_COSINE_INPUTS_H_
#define LAR_TARGETS_PQ_COSINE_INPUTS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "data/pq.h"
#include "targets/pq-cosine/pq_cosine.h"

namespace lar::pq_cosine {

struct Dataset {
  Shape shape;
  size_t n = 0;
  std::vector<float> codebook;  // [M][256][D/M]
  std::vector<uint8_t> codes;   // [M][N]
  std::vector<float> centroid;  // [D]
};

struct WorkloadSpec {
  Shape shape;
  data::Distribution distribution;
  size_t base_vectors;
  size_t train_vectors;
};

std::vector<WorkloadSpec> SpeedWorkloads(bool quick);
Dataset BuildTrainedDataset(const WorkloadSpec& spec, uint64_t seed);

inline constexpr size_t kQuerySlots = 32;

enum class QueryKind { kNormal, kZero, kNaN, kPosInf };

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

// v / |v| with Lance's arithmetic (f32 sum of squares, division).
void NormalizeInPlace(float* v, size_t dim);

}  // namespace lar::pq_cosine

#endif  // LAR_TARGETS_PQ_COSINE_INPUTS_H_
