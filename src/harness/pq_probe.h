// The PQ family's speed combo (pq-l2, pq-dot, pq-cosine), on top of the
// target SDK (target_sdk.h): what the three targets' traits would otherwise
// repeat word for word. The timed operation is one probed partition: a
// query's distance table, the distances of the partition's vectors, their
// top-K. The combo's data is a trained partition, built once per (workload,
// seed) and process; the slots hold queries drawn from the partition's own
// distribution. A target's traits derive from PqProbeTraits and add only
// what is its own: Api, Case, Scratch, PreparedPtr, MakeScratch, Prepare,
// RunKernel, RunReference, Check.
//
// Dataset: { Shape shape (dim, num_sub_vectors); size_t n;
//            std::vector<float> codebook; std::vector<uint8_t> codes; ... }
// Workload: { Shape shape; data::Distribution distribution;
//             size_t base_vectors, train_vectors; }
#ifndef LAR_HARNESS_PQ_PROBE_H_
#define LAR_HARNESS_PQ_PROBE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "data/pq.h"
#include "data/vectors.h"
#include "harness/compare.h"
#include "harness/slot_combo.h"
#include "harness/target_sdk.h"

namespace lar {

template <class DatasetT, class WorkloadT, DatasetT (*kBuildTrained)(const WorkloadT&, uint64_t),
          size_t kTopK, size_t kSlotCount>
struct PqProbeTraits {
  using Dataset = DatasetT;
  using Workload = WorkloadT;
  struct Data {
    Dataset ds;
    data::Distribution distribution;
    uint64_t seed;  // the partition's: queries come from its clusters
  };
  using Input = std::vector<float>;  // one query [D]
  struct Result {                    // the query's top-K, kept per slot
    uint32_t ids[kTopK];
    float top[kTopK];
    size_t count = 0;
    RankedList list() const { return {ids, top, count}; }
  };
  using Source = data::VectorSource;
  static constexpr size_t kSlots = kSlotCount;

  static size_t TableSize(const Data& d) { return d.ds.shape.num_sub_vectors * data::kPqCentroids; }
  static Source MakeSource(const Data& d, uint64_t seed) {
    return QuerySource(d.distribution, d.ds.shape.dim, d.seed, seed);
  }
  static Input MakeInput(const Data& d) { return Input(d.ds.shape.dim); }
  static void Draw(const Data&, Source& s, Input* q) { s.Draw(q->data()); }
  static Result MakeResult(const Data&) { return {}; }
  static double BytesPerOp(const Data& d) {
    // Codes once, the codebook once, the distances written once.
    return static_cast<double>(d.ds.codes.size() + 4 * d.ds.codebook.size() + 4 * d.ds.n);
  }

  // The workload half of the target's SlotTargetSpec.
  static std::string ShapeName(const Workload& w) {
    return data::PqShapeName(w.shape.dim, w.shape.num_sub_vectors);
  }
  static std::string DistributionName(const Workload& w) {
    return data::DistributionName(w.distribution);
  }
  static Data MakeData(const Workload& w, uint64_t seed) {
    return {*Trained(w, seed), w.distribution, seed};
  }
  static void Preload(const Workload& w, uint64_t seed) { Trained(w, seed); }

 private:
  // Training takes seconds: built once per (workload, seed) and process.
  static std::shared_ptr<const Dataset> Trained(const Workload& w, uint64_t seed) {
    const std::string key = ShapeName(w) + "/" + DistributionName(w) + "/" +
                            std::to_string(w.base_vectors) + "/" + std::to_string(w.train_vectors) +
                            "/" + std::to_string(seed);
    return CachedData<Dataset>(key, [&] { return kBuildTrained(w, seed); });
  }
};

}  // namespace lar

#endif  // LAR_HARNESS_PQ_PROBE_H_
