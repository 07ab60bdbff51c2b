// pq-l2: the kernel contract. Lance's 8-bit product-quantization L2 search
// inner loop: build the query's distance table against the codebook
// (build_distance_table_l2), then sum table entries over each vector's codes
// (compute_pq_distance). kernels.cc implements the first block (the agent's
// file); reference.cc the second (immutable, Lance's arithmetic order).
#ifndef LAR_TARGETS_PQ_L2_PQ_L2_H_
#define LAR_TARGETS_PQ_L2_PQ_L2_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <hwy/base.h>

#include "harness/target.h"

namespace lar::pq_l2 {

// 8-bit PQ: every sub-vector has 256 centroids.
inline constexpr size_t kNumCentroids = 256;
// Results per query in the timed operation (Lance's k for the benches).
inline constexpr size_t kTopK = 10;

struct Shape {
  size_t dim = 0;              // D
  size_t num_sub_vectors = 0;  // M; divides D
  size_t sub_dim() const { return dim / num_sub_vectors; }
};

// Input assumptions (the verify battery covers each):
// - codebook: float [M][256][D/M] (sub-vector, centroid, element), any
//   alignment; values finite.
// - codes: uint8 [M][N], Lance's transposed in-memory layout: the code of
//   vector j in sub-vector m is codes[m * N + j]; any alignment; N may be 0.
// - query: float [D], any alignment; may hold NaN or +-inf (they propagate).
// - table: float [M][256] written by DistanceTable, read by Distances.
// - distances: float [N].

// Kernel-owned data prepared once per (codebook, codes), untimed: the place
// to transpose, block or copy inputs into whatever layout the kernel likes.
class Prepared {
 public:
  virtual ~Prepared() = default;
};

// ---- kernels.cc: the agent's file --------------------------------------
// May allocate (untimed). Pointers need not outlive the call.
std::unique_ptr<Prepared> Prepare(const Shape& shape, const float* HWY_RESTRICT codebook,
                                  const uint8_t* HWY_RESTRICT codes, size_t num_vectors);
// table[m][k] = squared L2 between query sub-vector m and centroid (m, k).
// Timed; must not allocate or throw.
void DistanceTable(Prepared& prepared, const float* HWY_RESTRICT query, float* HWY_RESTRICT table);
// distances[j] = sum over m of table[m][code(m, j)]. Timed; no allocation.
void Distances(Prepared& prepared, const float* HWY_RESTRICT table, float* HWY_RESTRICT distances);
// The HWY_TARGET this file's dispatch selects now (the harness checks that
// a forced ISA really runs).
int64_t KernelTarget();

// ---- reference.cc: Lance's arithmetic, scalar ---------------------------
namespace reference {
void DistanceTable(const Shape& shape, const float* codebook, const float* query, float* table);
void Distances(const Shape& shape, const float* table, const uint8_t* codes, size_t num_vectors,
               float* distances);
}  // namespace reference

// Any implementation of the kernel contract. The shipped one is kernels.cc;
// the test build registers deliberately broken ones through MakeTarget.
struct KernelApi {
  std::unique_ptr<Prepared> (*prepare)(const Shape&, const float*, const uint8_t*, size_t);
  void (*distance_table)(Prepared&, const float*, float*);
  void (*distances)(Prepared&, const float*, float*);
  int64_t (*kernel_target)();
};

inline KernelApi ShippedKernel() { return {&Prepare, &DistanceTable, &Distances, &KernelTarget}; }

// The registration of pq-l2 (target.cc) around any kernel implementation.
Target MakeTarget(const std::string& id, const KernelApi& api);

}  // namespace lar::pq_l2

#endif  // LAR_TARGETS_PQ_L2_PQ_L2_H_
