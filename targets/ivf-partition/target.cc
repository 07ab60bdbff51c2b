// ivf-partition registration: the glue between the harness and the kernel
// contract. The timed operation is one query's partition search: distances
// to all C centroids and the nprobes nearest. bytes_per_op is the centroid
// matrix, so the block prints the fraction of memory bandwidth reached.
// Immutable for agents.
#include <cstring>
#include <optional>

#include "harness/compare.h"
#include "harness/prng.h"
#include "harness/slot_combo.h"
#include "targets/ivf-partition/inputs.h"
#include "targets/ivf-partition/ivf_partition.h"

namespace lar::ivf_partition {
namespace {

constexpr size_t kGuard = 64;
constexpr uint32_t kSentinelBits = 0x7FC0DEADu;

std::optional<Mismatch> CheckGuard(const std::string& field, const void* guard, size_t bytes) {
  const auto* b = static_cast<const unsigned char*>(guard);
  for (size_t i = 0; i + 4 <= bytes; i += 4) {
    uint32_t bits;
    std::memcpy(&bits, b + i, sizeof(bits));
    if (bits != kSentinelBits) {
      return Mismatch{field + " (past the end)", i / 4, "untouched", std::to_string(bits),
                      "no writes outside the output"};
    }
  }
  return std::nullopt;
}

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
  return CompareRanking(who + "nearest", {ref_ids, ref_near, ref_count},
                        {got_ids, got_near, got_count},
                        [&](uint32_t id) { return ref_dist[id]; }, kDefaultTolerance);
}

template <typename T>
struct Placed {
  std::vector<T> storage;
  T* ptr;
  Placed(const std::vector<T>& src, size_t misalign) : storage(src.size() + misalign + 1) {
    ptr = storage.data() + misalign;
    std::copy(src.begin(), src.end(), ptr);
  }
};

Checker PrepareCase(const BatteryCase& bc, uint64_t seed, KernelApi api) {
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
    const Placed<float> cs(*centroids, misalign);
    const Placed<float> q(*query, misalign);
    const std::unique_ptr<Prepared> prepared = api.prepare(shape, cs.ptr);
    float sentinel;
    std::memcpy(&sentinel, &kSentinelBits, sizeof(sentinel));
    std::vector<float> dist(misalign + c + kGuard, sentinel);
    std::vector<uint32_t> ids(misalign + np + kGuard, kSentinelBits);
    std::vector<float> nearest(misalign + np + kGuard, sentinel);
    float* d = dist.data() + misalign;
    const size_t count =
        api.find_partitions(*prepared, q.ptr, d, ids.data() + misalign, nearest.data() + misalign);
    if (auto m = CheckGuard("distances", d + c, kGuard * 4)) return m;
    if (auto m = CheckGuard("ids", ids.data() + misalign + np, kGuard * 4)) return m;
    if (auto m = CheckGuard("nearest", nearest.data() + misalign + np, kGuard * 4)) return m;
    return CompareOutputs("", c, ref_dist->data(), d, ref_ids->data(), ref_near->data(), np,
                          ids.data() + misalign, nearest.data() + misalign, count, true);
  };
}

struct Traits {
  using Api = KernelApi;
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
    Source s(d.distribution, d.shape.dim, d.seed);  // the centroids' clusters
    s.Reseed(DeriveSeed(seed, "queries"));
    return s;
  }
  static Input MakeInput(const Data& d) { return Input(d.shape.dim); }
  static void Draw(const Data&, Source& s, Input* q) { s.Draw(q->data()); }
  static Scratch MakeScratch(const Data& d) {
    return {std::vector<float>(d.shape.num_centroids),
            std::vector<uint32_t>(d.shape.num_centroids), std::vector<float>(d.shape.dim)};
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
    r->count = api.find_partitions(*p, q.data(), s.distances.data(), r->ids.data(),
                                   r->nearest.data());
  }
  static void RunReference(const Data& d, const Input& q, Scratch& s, Result* r) {
    r->count = reference::FindPartitions(d.shape, d.centroids.data(), q.data(),
                                         s.distances.data(), r->ids.data(), r->nearest.data(),
                                         s.order.data(), s.unit.data());
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

std::shared_ptr<const std::vector<float>> CachedCentroids(const WorkloadSpec& spec,
                                                          uint64_t seed) {
  const std::string key = ShapeName(spec.shape) + "/" + data::DistributionName(spec.distribution) +
                          "/" + std::to_string(seed);
  return CachedData<std::vector<float>>(
      key, [&] { return BuildCentroids(spec.shape, spec.distribution, seed); });
}

}  // namespace

Target MakeTarget(const std::string& id, const KernelApi& api) {
  Target t;
  t.id = id;
  t.family = "vector";
  t.unit = "query";
  t.lance_source = "lance-index kmeans.rs kmeans_find_partitions (IvfModel::find_partitions)";
  t.summary = "IVF partition search: distances to C centroids, nprobes nearest";
  t.tolerance = "`|got - ref| <= 1e-4 + 1e-5*|ref|` on centroid distances, and the same nprobes partitions (ties within tolerance may swap)";
  t.kernel_target = api.kernel_target;
  t.battery = [api](uint64_t seed, bool quick) {
    std::vector<Case> cases;
    for (const BatteryCase& c : Battery(quick)) {
      const uint64_t case_seed = DeriveSeed(seed, c.name.c_str());
      cases.push_back({c.name, [c, case_seed, api] { return PrepareCase(c, case_seed, api); }});
    }
    return cases;
  };
  t.workloads = [api](bool quick, const void* best) {
    std::optional<KernelApi> best_api;
    if (best != nullptr) best_api = *static_cast<const KernelApi*>(best);
    std::vector<Combo> combos;
    for (const WorkloadSpec& spec : SpeedWorkloads(quick)) {
      combos.push_back({ShapeName(spec.shape), data::DistributionName(spec.distribution),
                        [spec, api, best_api](uint64_t seed) -> std::unique_ptr<ComboState> {
                          const Traits::Data data{spec.shape, spec.distribution, seed,
                                                  *CachedCentroids(spec, seed)};
                          return std::make_unique<SlotCombo<Traits>>(data, seed, api, best_api);
                        },
                        [spec](uint64_t seed) { CachedCentroids(spec, seed); }});
    }
    return combos;
  };
  t.variant = [id](const void* other) {
    Target v = MakeTarget(id, *static_cast<const KernelApi*>(other));
    v.kernel_api = other;
    return v;
  };
  t.kernel_api_size = sizeof(KernelApi);
  return t;
}

namespace {
const Registrar kRegistrar(MakeTarget("ivf-partition", ShippedKernel()));
}  // namespace

}  // namespace lar::ivf_partition
