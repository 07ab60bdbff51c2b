// pq-dot: the kernel contract. Lance's 8-bit product-quantization search
// inner loop for the dot metric: the query's table of 1 - dot against every
// centroid (build_distance_table_dot), the sum of table entries over each
// vector's codes minus (M - 1) (compute_pq_distance, then the Dot branch of
// PQDistCalculator). Result: 1 - approximate inner product, smaller is
// better. kernels.cc implements the first block (the agent's file);
// reference.cc the second (immutable, Lance's arithmetic order).
#ifndef LAR_TARGETS_PQ_DOT_PQ_DOT_H_
#define LAR_TARGETS_PQ_DOT_PQ_DOT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <hwy/base.h>

#include "harness/target.h"

namespace lar::pq_dot {

// 8-bit PQ: every sub-vector has 256 centroids.
inline constexpr size_t kNumCentroids = 256;
// Results per query in the timed operation.
inline constexpr size_t kTopK = 10;

struct Shape {
  size_t dim = 0;              // D
  size_t num_sub_vectors = 0;  // M; divides D
  size_t sub_dim() const { return dim / num_sub_vectors; }
};

// Input assumptions (the verify battery covers each):
// - codebook: float [M][256][D/M], any alignment; values finite.
// - codes: uint8 [M][N] (Lance's transposed layout: vector j of sub-vector
//   m at m * N + j), any alignment; N may be 0.
// - query: float [D], the raw query (no residual for dot), any alignment;
//   may hold NaN or +-inf.
// - table: float [M][256]; distances: float [N].

// Kernel-owned data prepared once per (codebook, codes), untimed.
class Prepared {
 public:
  virtual ~Prepared() = default;
};

// ---- kernels.cc: the agent's file --------------------------------------
std::unique_ptr<Prepared> Prepare(const Shape& shape, const float* HWY_RESTRICT codebook,
                                  const uint8_t* HWY_RESTRICT codes, size_t num_vectors);
// table[m][k] = 1 - dot(query sub-vector m, centroid (m, k)). Timed.
void DistanceTable(Prepared& prepared, const float* HWY_RESTRICT query, float* HWY_RESTRICT table);
// distances[j] = (sum over m of table[m][code(m, j)]) - (M - 1). Timed.
void Distances(Prepared& prepared, const float* HWY_RESTRICT table, float* HWY_RESTRICT distances);
int64_t KernelTarget();

// ---- reference.cc: Lance's arithmetic, scalar ---------------------------
namespace reference {
void DistanceTable(const Shape& shape, const float* codebook, const float* query, float* table);
void Distances(const Shape& shape, const float* table, const uint8_t* codes, size_t num_vectors,
               float* distances);
}  // namespace reference

struct KernelApi {
  std::unique_ptr<Prepared> (*prepare)(const Shape&, const float*, const uint8_t*, size_t);
  void (*distance_table)(Prepared&, const float*, float*);
  void (*distances)(Prepared&, const float*, float*);
  int64_t (*kernel_target)();
};

inline KernelApi ShippedKernel() { return {&Prepare, &DistanceTable, &Distances, &KernelTarget}; }

Target MakeTarget(const std::string& id, const KernelApi& api);

}  // namespace lar::pq_dot

#endif  // LAR_TARGETS_PQ_DOT_PQ_DOT_H_
