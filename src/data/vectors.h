// Vector data shared by the vector-search targets: the distributions of the
// speed workloads and correctness batteries, and the quick k-means that
// builds PQ codebooks and codes like an index build would.
#ifndef LAR_DATA_VECTORS_H_
#define LAR_DATA_VECTORS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/prng.h"

namespace lar::data {

enum class Distribution {
  kClustered,          // 32 Gaussian centres N(0,1), noise 0.10
  kUniform,            // U[-1, 1]
  kSparse,             // 90% zeros, the rest N(0,1)
  kGaussian,           // N(0,1)
  kLargeDynamicRange,  // N(0,1) x 10^{-3, 0, 3}, scale drawn per element
  kMostlyZero,         // 99% zeros, the rest N(0,1)
  kOffset,             // 1000 + N(0,1): breaks |q|^2+|c|^2-2q.c rewrites
};

const char* DistributionName(Distribution d);

// Draws vectors of one distribution. A clustered source keeps its centres,
// so queries and data drawn from the same source share them.
class VectorSource {
 public:
  VectorSource(Distribution distribution, size_t dim, uint64_t seed);
  // Restarts the draws from another stream, keeping the clustered centres:
  // queries then come from the same clusters as the data, but are new.
  void Reseed(uint64_t draw_seed) { rng_ = SplitMix64(draw_seed); }
  void Draw(float* out);
  std::vector<float> DrawRows(size_t rows);
  size_t dim() const { return dim_; }
  Distribution distribution() const { return distribution_; }

 private:
  static constexpr size_t kCentres = 32;
  Distribution distribution_;
  size_t dim_;
  SplitMix64 rng_;
  std::vector<float> centres_;  // kCentres x dim, clustered only
};

// PQ codebook [m][k][dim/m] from a quick k-means per sub-vector: k distinct
// random training rows as the initial centroids, then `iterations` Lloyd
// steps (an empty cluster keeps its centroid).
std::vector<float> TrainPqCodebook(const float* train, size_t rows, size_t dim, size_t m, size_t k,
                                   int iterations, uint64_t seed);

// Codes of `rows` vectors, transposed as Lance holds them in memory:
// byte (sub-vector s, vector j) at s * rows + j. Nearest centroid, first
// index on ties.
std::vector<uint8_t> EncodePq(const float* codebook, const float* base, size_t rows, size_t dim,
                              size_t m, size_t k);

}  // namespace lar::data

#endif  // LAR_DATA_VECTORS_H_
