// pq-dot reference: a scalar port of Lance's build_distance_table_dot and
// compute_pq_distance with the Dot branch of PQDistCalculator
// (rust/lance-index/src/vector/pq/distance.rs L74, storage.rs L879), in
// Lance's arithmetic order, compiled with -ffp-contract=off. Immutable for
// agents.
#include "targets/pq-dot/pq_dot.h"

namespace lar::pq_dot::reference {
namespace {

// lance-linalg dot_scalar<LANES = 16> (distance/dot.rs L30): the same
// structure as l2_scalar: the tail (last n mod 16 products) summed left to
// right from +0, 16 lane sums over the full blocks, then
// tail + (((L0 + L1) + L2) + ... + L15). Every operation rounds separately.
float DotLance(const float* x, const float* y, size_t n) {
  constexpr size_t kLanes = 16;
  const size_t full = n / kLanes * kLanes;
  float tail = 0.0f;
  for (size_t i = full; i < n; ++i) tail += x[i] * y[i];
  float lanes[kLanes] = {};
  for (size_t base = 0; base < full; base += kLanes) {
    for (size_t i = 0; i < kLanes; ++i) lanes[i] += x[base + i] * y[base + i];
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
      // dot_distance = 1 - dot (dot.rs L106): one f32 subtraction.
      table[m * kNumCentroids + k] = 1.0f - DotLance(q, centroids + k * s, s);
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
  // Sum of M terms of 1 - q_m.c_m, minus (M - 1) computed as `M as f32 - 1.0`
  // (storage.rs L879): 1 - q.x.
  const float bias = static_cast<float>(shape.num_sub_vectors) - 1.0f;
  for (size_t j = 0; j < num_vectors; ++j) distances[j] -= bias;
}

}  // namespace lar::pq_dot::reference
