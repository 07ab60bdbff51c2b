// pq-cosine reference: scalar ports, in Lance's arithmetic order and with
// -ffp-contract=off, of normalize (rust/lance-linalg/src/kernels.rs L141),
// the residual against the partition centroid (ivf/v2.rs L913,
// preprocess_partition_query_owned), build_distance_table_l2 and
// compute_pq_distance (pq/distance.rs L22, L124). Immutable for agents.
#include <cmath>

#include "targets/pq-cosine/pq_cosine.h"

namespace lar::pq_cosine::reference {
namespace {

// l2_scalar<16>: tail first, 16 lane sums added left to right.
float L2Lance(const float* x, const float* y, size_t n) {
  constexpr size_t kLanes = 16;
  const size_t full = n / kLanes * kLanes;
  float tail = 0.0f;
  for (size_t i = full; i < n; ++i) {
    const float d = x[i] - y[i];
    tail += d * d;
  }
  float lanes[kLanes] = {};
  for (size_t base = 0; base < full; base += kLanes) {
    for (size_t i = 0; i < kLanes; ++i) {
      const float d = x[base + i] - y[base + i];
      lanes[i] += d * d;
    }
  }
  float sum = lanes[0];
  for (size_t i = 1; i < kLanes; ++i) sum += lanes[i];
  return tail + sum;
}

}  // namespace

void QueryResidual(const Shape& shape, const float* centroid, const float* query, float* residual) {
  // norm = sqrt of the left-to-right f32 sum of squares from +0; every
  // element DIVIDED by it (not multiplied by a reciprocal); a zero query
  // gives 0/0 = NaN, as in Lance.
  float sum = 0.0f;
  for (size_t i = 0; i < shape.dim; ++i) sum += query[i] * query[i];
  const float norm = std::sqrt(sum);
  for (size_t i = 0; i < shape.dim; ++i) {
    const float unit = query[i] / norm;
    residual[i] = unit - centroid[i];
  }
}

void DistanceTable(const Shape& shape, const float* codebook, const float* residual, float* table) {
  const size_t s = shape.sub_dim();
  for (size_t m = 0; m < shape.num_sub_vectors; ++m) {
    const float* r = residual + m * s;
    const float* centroids = codebook + m * kNumCentroids * s;
    for (size_t k = 0; k < kNumCentroids; ++k) {
      table[m * kNumCentroids + k] = L2Lance(r, centroids + k * s, s);
    }
  }
}

void Distances(const Shape& shape, const float* table, const uint8_t* codes, size_t num_vectors,
               float* distances) {
  for (size_t j = 0; j < num_vectors; ++j) distances[j] = 0.0f;
  for (size_t m = 0; m < shape.num_sub_vectors; ++m) {
    const float* row = table + m * kNumCentroids;
    const uint8_t* c = codes + m * num_vectors;
    for (size_t j = 0; j < num_vectors; ++j) distances[j] += row[c[j]];
  }
}

}  // namespace lar::pq_cosine::reference
