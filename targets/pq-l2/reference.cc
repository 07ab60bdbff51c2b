// pq-l2 reference: a scalar port of Lance's build_distance_table_l2 and
// compute_pq_distance (rust/lance-index/src/vector/pq/distance.rs) in
// Lance's arithmetic order, compiled with -ffp-contract=off. It reproduces
// the golden fixtures computed by Lance's own code bit for bit
// (tests/targets/pq_l2_golden_test.cc). Immutable for agents.
#include "targets/pq-l2/pq_l2.h"

namespace lar::pq_l2::reference {
namespace {

// lance-linalg l2_scalar<LANES = 16> (distance/l2.rs): with n = 16q + r,
// first the tail (last r elements) summed left to right from +0, then 16
// lane accumulators over the full blocks, each left to right from +0, then
// tail + (((L0 + L1) + L2) + ... + L15). Every operation rounds separately.
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

void DistanceTable(const Shape& shape, const float* codebook, const float* query, float* table) {
  const size_t s = shape.sub_dim();
  for (size_t m = 0; m < shape.num_sub_vectors; ++m) {
    const float* q = query + m * s;
    const float* centroids = codebook + m * kNumCentroids * s;
    for (size_t k = 0; k < kNumCentroids; ++k) {
      table[m * kNumCentroids + k] = L2Lance(q, centroids + k * s, s);
    }
  }
}

void Distances(const Shape& shape, const float* table, const uint8_t* codes, size_t num_vectors,
               float* distances) {
  // Lance loops sub-vector outer, vector inner, accumulating from +0.
  for (size_t j = 0; j < num_vectors; ++j) distances[j] = 0.0f;
  for (size_t m = 0; m < shape.num_sub_vectors; ++m) {
    const float* row = table + m * kNumCentroids;
    const uint8_t* c = codes + m * num_vectors;
    for (size_t j = 0; j < num_vectors; ++j) distances[j] += row[c[j]];
  }
}

}  // namespace lar::pq_l2::reference
