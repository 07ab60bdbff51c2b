// ivf-partition registration: the glue between the harness and the kernel
// contract. The timed operation is one query's partition search: distances
// to all C centroids and the nprobes nearest. bytes_per_op is the centroid
// matrix, so the block prints the fraction of memory bandwidth reached.
// Immutable for agents.
#include <optional>

#include "harness/compare.h"
#include "base/prng.h"
#include "harness/slot_combo.h"
#include "harness/target_sdk.h"
#include "targets/ivf-partition/inputs.h"
#include "targets/ivf-partition/ivf_partition.h"

namespace lar::ivf_partition {
namespace {

// The candidate's distances and its nprobes nearest against the reference.
std::optional<Mismatch> CompareOutputs(const std::string& who, size_t c, const float* ref_dist,
                                       const float* got_dist, const uint32_t* ref_ids,
                                       const float* ref_near, size_t ref_count,
                                       const uint32_t* got_ids, const float* got_near,
                                       size_t got_count, bool compare_all) {
  if (compare_all) {
    if (auto m = CompareFloats(who + "distances", ref_dist, got_dist, c, kDefaultTolerance)) {
      return m;
    }
  }
  return CompareRanking(
      who + "nearest", {ref_ids, ref_near, ref_count}, {got_ids, got_near, got_count}, c,
      [&](uint32_t id) { return ref_dist[id]; }, kDefaultTolerance);
}

Checker PrepareCase(const BatteryCase& bc, uint64_t seed, const KernelApi& api) {
  auto centroids = std::make_shared<std::vector<float>>(BuildCentroids(bc, seed));
  auto query = std::make_shared<std::vector<float>>(DrawQuery(bc, seed));
  const Shape shape = bc.shape;
  const size_t c = shape.num_centroids;
  const size_t np = std::min(shape.nprobes, c);
  auto ref_dist = std::make_shared<std::vector<float>>(c);
  auto ref_ids = std::make_shared<std::vector<uint32_t>>(np);
  auto ref_near = std::make_shared<std::vector<float>>(np);
  {
    std::vector<uint32_t> order(c);
    std::vector<float> unit(shape.dim);
    reference::FindPartitions(shape, centroids->data(), query->data(), ref_dist->data(),
                              ref_ids->data(), ref_near->data(), order.data(), unit.data());
  }
  const size_t misalign = bc.misalign;
  return [=]() -> std::optional<Mismatch> {
    const Misaligned<float> cs(*centroids, misalign);
    const Misaligned<float> q(*query, misalign);
    const std::unique_ptr<Prepared> prepared = api.prepare(shape, cs.data());
    GuardedOutput<float> dist(c, misalign);
    GuardedOutput<uint32_t> ids(np, misalign);
    GuardedOutput<float> nearest(np, misalign);
    const size_t count =
        api.find_partitions(*prepared, q.data(), dist.data(), ids.data(), nearest.data());
    if (auto m = dist.CheckGuard("distances")) return m;
    if (auto m = ids.CheckGuard("ids")) return m;
    if (auto m = nearest.CheckGuard("nearest")) return m;
    return CompareOutputs("", c, ref_dist->data(), dist.data(), ref_ids->data(), ref_near->data(),
                          np, ids.data(), nearest.data(), count, true);
  };
}

struct Traits {
  using Api = KernelApi;
  using Case = BatteryCase;
  using Workload = WorkloadSpec;
  struct Data {
    Shape shape;
    data::Distribution distribution;
    uint64_t seed;
    std::vector<float> centroids;
  };
  using Input = std::vector<float>;
  struct Scratch {
    std::vector<float> distances;
    std::vector<uint32_t> order;  // reference only
    std::vector<float> unit;      // reference only
  };
  struct Result {
    std::vector<uint32_t> ids;
    std::vector<float> nearest;
    size_t count = 0;
  };
  using Source = data::VectorSource;
  using PreparedPtr = std::unique_ptr<Prepared>;
  static constexpr size_t kSlots = kQuerySlots;

  static Source MakeSource(const Data& d, uint64_t seed) {
    return QuerySource(d.distribution, d.shape.dim, d.seed, seed);  // the centroids' clusters
  }
  static Input MakeInput(const Data& d) { return Input(d.shape.dim); }
  static void Draw(const Data&, Source& s, Input* q) { s.Draw(q->data()); }
  static Scratch MakeScratch(const Data& d) {
    return {std::vector<float>(d.shape.num_centroids), std::vector<uint32_t>(d.shape.num_centroids),
            std::vector<float>(d.shape.dim)};
  }
  static Result MakeResult(const Data& d) {
    const size_t np = std::min(d.shape.nprobes, d.shape.num_centroids);
    return {std::vector<uint32_t>(np), std::vector<float>(np), 0};
  }
  static PreparedPtr Prepare(const Api& api, const Data& d) {
    return api.prepare(d.shape, d.centroids.data());
  }
  static void RunKernel(const Api& api, PreparedPtr& p, const Data&, const Input& q, Scratch& s,
                        Result* r) {
    r->count =
        api.find_partitions(*p, q.data(), s.distances.data(), r->ids.data(), r->nearest.data());
  }
  static void RunReference(const Data& d, const Input& q, Scratch& s, Result* r) {
    r->count =
        reference::FindPartitions(d.shape, d.centroids.data(), q.data(), s.distances.data(),
                                  r->ids.data(), r->nearest.data(), s.order.data(), s.unit.data());
  }
  static std::optional<Mismatch> Check(const Data& d, const Input& q, const Result& ref,
                                       const Scratch* ref_scratch, const Result& got,
                                       const Scratch* got_scratch, const std::string& who) {
    Scratch recomputed;
    if (ref_scratch == nullptr) {
      recomputed = MakeScratch(d);
      Result r = MakeResult(d);
      RunReference(d, q, recomputed, &r);
      ref_scratch = &recomputed;
    }
    return CompareOutputs(who, d.shape.num_centroids, ref_scratch->distances.data(),
                          got_scratch ? got_scratch->distances.data() : nullptr, ref.ids.data(),
                          ref.nearest.data(), ref.count, got.ids.data(), got.nearest.data(),
                          got.count, got_scratch != nullptr);
  }
  static double BytesPerOp(const Data& d) {
    // The centroid matrix is read once per query: the bound once it leaves
    // the caches.
    return 4.0 * static_cast<double>(d.shape.num_centroids * d.shape.dim);
  }
};

std::shared_ptr<const std::vector<float>> CachedCentroids(const WorkloadSpec& spec, uint64_t seed) {
  const std::string key = ShapeName(spec.shape) + "/" + data::DistributionName(spec.distribution) +
                          "/" + std::to_string(seed);
  return CachedData<std::vector<float>>(
      key, [&] { return BuildCentroids(spec.shape, spec.distribution, seed); });
}

}  // namespace

Target MakeTarget(const std::string& id, const KernelApi& api) {
  return MakeSlotTarget<Traits>(
      {.id = id,
       .family = "vector",
       .unit = "query",
       .lance_source = "lance-index kmeans.rs kmeans_find_partitions (IvfModel::find_partitions)",
       .summary = "IVF partition search: distances to C centroids, nprobes nearest",
       .tolerance = "`|got - ref| <= 1e-4 + 1e-5*|ref|` on centroid distances, and the same "
                    "nprobes partitions (ties within tolerance may swap)",
       .battery = &Battery,
       .prepare_case = &PrepareCase,
       .workloads = &SpeedWorkloads,
       .shape_name = [](const WorkloadSpec& w) { return ShapeName(w.shape); },
       .distribution_name =
           [](const WorkloadSpec& w) { return data::DistributionName(w.distribution); },
       .data = [](const WorkloadSpec& w, uint64_t seed) -> Traits::Data {
         return {w.shape, w.distribution, seed, *CachedCentroids(w, seed)};
       },
       .preload = [](const WorkloadSpec& w, uint64_t seed) { CachedCentroids(w, seed); }},
      api);
}

namespace {
const Registrar kRegistrar(MakeTarget("ivf-partition", ShippedKernel()));
}  // namespace

}  // namespace lar::ivf_partition
