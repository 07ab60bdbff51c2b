// pq-cosine: the kernel contract. What Lance really does for an IVF_PQ index
// with the cosine metric: the query is divided by its norm
// (normalize_query_for_index), the probed partition's centroid is
// subtracted (the residual), and the rest is pq-l2: an L2 distance table of
// the residual against the codebook and the sum of table entries over each
// vector's codes. No cosine formula runs in the hot loop. kernels.cc
// implements the first block (the agent's file); reference.cc the second
// (immutable, Lance's arithmetic order).
#ifndef LAR_TARGETS_PQ_COSINE_PQ_COSINE_H_
#define LAR_TARGETS_PQ_COSINE_PQ_COSINE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <hwy/base.h>

#include "harness/target.h"

namespace lar::pq_cosine {

inline constexpr size_t kNumCentroids = 256;
inline constexpr size_t kTopK = 10;

struct Shape {
  size_t dim = 0;              // D
  size_t num_sub_vectors = 0;  // M; divides D
  size_t sub_dim() const { return dim / num_sub_vectors; }
};

// Input assumptions (the verify battery covers each):
// - codebook: float [M][256][D/M] (trained on residuals of unit vectors),
//   any alignment; finite.
// - codes: uint8 [M][N], Lance's transposed layout; N may be 0.
// - centroid: float [D], the partition's IVF centroid (a mean of unit
//   vectors: not unit length); finite.
// - query: float [D], NOT normalized, any alignment; may be all zeros (the
//   norm is then 0 and every output NaN, as in Lance) or hold NaN/+-inf.
// - residual: float [D]; table: float [M][256]; distances: float [N].

class Prepared {
 public:
  virtual ~Prepared() = default;
};

// ---- kernels.cc: the agent's file --------------------------------------
std::unique_ptr<Prepared> Prepare(const Shape& shape, const float* HWY_RESTRICT codebook,
                                  const uint8_t* HWY_RESTRICT codes, size_t num_vectors,
                                  const float* HWY_RESTRICT centroid);
// residual[i] = query[i] / |query| - centroid[i]. Timed.
void QueryResidual(Prepared& prepared, const float* HWY_RESTRICT query,
                   float* HWY_RESTRICT residual);
// table[m][k] = squared L2 between residual sub-vector m and centroid (m, k).
void DistanceTable(Prepared& prepared, const float* HWY_RESTRICT residual,
                   float* HWY_RESTRICT table);
// distances[j] = sum over m of table[m][code(m, j)].
void Distances(Prepared& prepared, const float* HWY_RESTRICT table, float* HWY_RESTRICT distances);
int64_t KernelTarget();

// ---- reference.cc: Lance's arithmetic, scalar ---------------------------
namespace reference {
void QueryResidual(const Shape& shape, const float* centroid, const float* query, float* residual);
void DistanceTable(const Shape& shape, const float* codebook, const float* residual, float* table);
void Distances(const Shape& shape, const float* table, const uint8_t* codes, size_t num_vectors,
               float* distances);
}  // namespace reference

struct KernelApi {
  std::unique_ptr<Prepared> (*prepare)(const Shape&, const float*, const uint8_t*, size_t,
                                       const float*);
  void (*query_residual)(Prepared&, const float*, float*);
  void (*distance_table)(Prepared&, const float*, float*);
  void (*distances)(Prepared&, const float*, float*);
  int64_t (*kernel_target)();
};

inline KernelApi ShippedKernel() {
  return {&Prepare, &QueryResidual, &DistanceTable, &Distances, &KernelTarget};
}

Target MakeTarget(const std::string& id, const KernelApi& api);

}  // namespace lar::pq_cosine

#endif  // LAR_TARGETS_PQ_COSINE_PQ_COSINE_H_
