// Product-quantized partitions shared by the PQ targets (pq-l2, pq-dot,
// pq-cosine): a codebook trained the way an index build does it, and the
// codes of the partition's vectors in Lance's in-memory layout.
#ifndef LAR_DATA_PQ_H_
#define LAR_DATA_PQ_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "data/vectors.h"

namespace lar::data {

// 8-bit PQ: 256 centroids per sub-vector.
inline constexpr size_t kPqCentroids = 256;

struct PqPartition {
  size_t dim = 0;               // D
  size_t num_sub_vectors = 0;   // M
  size_t n = 0;                 // vectors
  std::vector<float> codebook;  // [M][256][D/M]
  std::vector<uint8_t> codes;   // [M][N]: code of vector j in sub-vector m at m*N + j
};

// Codebook from a quick k-means (random init + 2 Lloyd iterations) on the
// `train` rows, then the `base` rows encoded with it.
PqPartition TrainPartition(const std::vector<float>& train, const std::vector<float>& base,
                           size_t dim, size_t num_sub_vectors, uint64_t seed);

// Codebook rows drawn from `sub_source` (whose dim is D/M) and uniformly
// random codes: for correctness batteries, where only the arithmetic on the
// values matters.
PqPartition RandomPartition(VectorSource& sub_source, size_t dim, size_t num_sub_vectors, size_t n,
                            uint64_t seed);

// The shapes every PQ target measures and checks, as (D, M).
struct PqShape {
  size_t dim;
  size_t num_sub_vectors;
};
// (128,16), (256,16), (768,96): the seed's speed shapes.
std::vector<PqShape> PqSpeedShapes();
// Sub-vector widths 1, 3, 8, 16, 17, 32 and 256 besides the speed shapes.
std::vector<PqShape> PqBatteryShapes(bool quick);
// Vector counts around every lane and block size.
std::vector<size_t> PqEdgeSizes(bool quick);
// "(D,M,256)"
std::string PqShapeName(size_t dim, size_t num_sub_vectors);

}  // namespace lar::data

#endif  // LAR_DATA_PQ_H_
