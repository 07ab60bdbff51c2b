// ivf-partition reference: scalar ports, in Lance's arithmetic order and
// with -ffp-contract=off, of kmeans_find_partitions
// (rust/lance-index/src/vector/kmeans.rs L1305): l2_distance_batch /
// dot_distance_batch over the centroids (lance-linalg l2.rs, dot.rs), the
// cosine metric mapped to L2 on the normalized query (v2.rs L1407,
// knn.rs L125), and arrow's sort_to_indices with limit = nprobes under
// f32::total_cmp (select_nth_unstable + sort_unstable). Immutable for
// agents.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "targets/ivf-partition/ivf_partition.h"

namespace lar::ivf_partition {

const char* MetricName(Metric m) {
  switch (m) {
    case Metric::kL2:
      return "l2";
    case Metric::kDot:
      return "dot";
    case Metric::kCosine:
      return "cosine";
  }
  return "?";
}

namespace reference {
namespace {

constexpr size_t kLanes = 16;

// l2_scalar<16> / dot_scalar<16>: tail first, 16 lane sums left to right.
template <bool kDot>
float Lance(const float* x, const float* y, size_t n) {
  const size_t full = n / kLanes * kLanes;
  float tail = 0.0f;
  for (size_t i = full; i < n; ++i) {
    if (kDot) {
      tail += x[i] * y[i];
    } else {
      const float d = x[i] - y[i];
      tail += d * d;
    }
  }
  float lanes[kLanes] = {};
  for (size_t base = 0; base < full; base += kLanes) {
    for (size_t i = 0; i < kLanes; ++i) {
      if (kDot) {
        lanes[i] += x[base + i] * y[base + i];
      } else {
        const float d = x[base + i] - y[base + i];
        lanes[i] += d * d;
      }
    }
  }
  float sum = lanes[0];
  for (size_t i = 1; i < kLanes; ++i) sum += lanes[i];
  return tail + sum;
}

// f32::total_cmp as a signed integer key.
int32_t Key(float v) {
  int32_t bits;
  std::memcpy(&bits, &v, sizeof(bits));
  return bits ^ ((bits >> 31) & 0x7FFFFFFF);
}

}  // namespace

size_t FindPartitions(const Shape& shape, const float* centroids, const float* query,
                      float* distances, uint32_t* ids, float* nearest, uint32_t* order,
                      float* unit_query) {
  const size_t c = shape.num_centroids, d = shape.dim;
  if (shape.metric == Metric::kCosine) {
    // normalize (kernels.rs L141): f32 sum of squares from +0, then one
    // division per element; then plain L2 to every centroid.
    float sum = 0.0f;
    for (size_t i = 0; i < d; ++i) sum += query[i] * query[i];
    const float norm = std::sqrt(sum);
    for (size_t i = 0; i < d; ++i) unit_query[i] = query[i] / norm;
    for (size_t k = 0; k < c; ++k) distances[k] = Lance<false>(unit_query, centroids + k * d, d);
  } else {
    for (size_t k = 0; k < c; ++k) {
      distances[k] = shape.metric == Metric::kL2 ? Lance<false>(query, centroids + k * d, d)
                                                 : 1.0f - Lance<true>(query, centroids + k * d, d);
    }
  }
  // sort_to_indices(limit = nprobes): select the limit smallest, sort them.
  const size_t limit = std::min(shape.nprobes, c);
  for (size_t k = 0; k < c; ++k) order[k] = static_cast<uint32_t>(k);
  auto less = [&](uint32_t a, uint32_t b) {
    const int32_t ka = Key(distances[a]), kb = Key(distances[b]);
    return ka != kb ? ka < kb : a < b;
  };
  if (limit < c) std::nth_element(order, order + limit, order + c, less);
  std::sort(order, order + limit, less);
  for (size_t i = 0; i < limit; ++i) {
    ids[i] = order[i];
    nearest[i] = distances[order[i]];
  }
  return limit;
}

}  // namespace reference
}  // namespace lar::ivf_partition
