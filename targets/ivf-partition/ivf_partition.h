// ivf-partition: the kernel contract. Lance's IVF partition search
// (IvfModel::find_partitions -> kmeans_find_partitions): the distance from a
// query to every centroid (squared L2, 1 - dot, or cosine through L2 on the
// normalized query), then the nprobes nearest in IEEE total order. The first
// step of every IVF query; memory-bound once C x D outgrows the caches.
// kernels.cc implements the first block (the agent's file); reference.cc
// the second (immutable, Lance's arithmetic order).
#ifndef LAR_TARGETS_IVF_PARTITION_IVF_PARTITION_H_
#define LAR_TARGETS_IVF_PARTITION_IVF_PARTITION_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <hwy/base.h>

#include "harness/target.h"

namespace lar::ivf_partition {

enum class Metric { kL2, kDot, kCosine };
const char* MetricName(Metric m);

struct Shape {
  size_t num_centroids = 0;  // C
  size_t dim = 0;            // D
  Metric metric = Metric::kL2;
  size_t nprobes = 1;  // may exceed C (then all C are returned)
};

// Input assumptions (the verify battery covers each):
// - centroids: float [C][D] row-major, any alignment, finite; C >= 1.
// - query: float [D], any alignment; may be all zeros (cosine: NaN
//   distances, as in Lance) or hold NaN/+-inf.
// Outputs:
// - distances: float [C]: L2 -> squared L2 in lance-linalg's order (tail
//   first, 16 lane sums added left to right); Dot -> 1 - dot (same order);
//   Cosine -> L2 of query/|query| (division) to each centroid.
// - ids/nearest: the min(nprobes, C) smallest distances ordered by (IEEE
//   total order, centroid id) and their values. Lance's own sort is
//   unstable; lar fixes ties by id, and its check accepts swaps among
//   distances tied within tolerance.

class Prepared {
 public:
  virtual ~Prepared() = default;
};

// ---- kernels.cc: the agent's file --------------------------------------
std::unique_ptr<Prepared> Prepare(const Shape& shape, const float* HWY_RESTRICT centroids);
// Timed; returns min(nprobes, C). Must not allocate or throw.
size_t FindPartitions(Prepared& prepared, const float* HWY_RESTRICT query,
                      float* HWY_RESTRICT distances, uint32_t* HWY_RESTRICT ids,
                      float* HWY_RESTRICT nearest);
int64_t KernelTarget();

// ---- reference.cc: Lance's arithmetic, scalar ---------------------------
namespace reference {
// `order` (C entries) and `unit_query` (D) are scratch: the harness owns
// every buffer.
size_t FindPartitions(const Shape& shape, const float* centroids, const float* query,
                      float* distances, uint32_t* ids, float* nearest, uint32_t* order,
                      float* unit_query);
}  // namespace reference

struct KernelApi {
  std::unique_ptr<Prepared> (*prepare)(const Shape&, const float*);
  size_t (*find_partitions)(Prepared&, const float*, float*, uint32_t*, float*);
  int64_t (*kernel_target)();
};

inline KernelApi ShippedKernel() { return {&Prepare, &FindPartitions, &KernelTarget}; }

Target MakeTarget(const std::string& id, const KernelApi& api);

}  // namespace lar::ivf_partition

#endif  // LAR_TARGETS_IVF_PARTITION_IVF_PARTITION_H_
