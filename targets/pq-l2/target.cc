// pq-l2 registration: the glue between the harness and the kernel contract.
// The timed operation is what one probed partition costs in Lance: distance
// table + distances + top-10 select (the select is glue, as in Lance, and
// identical for candidate and reference). Immutable for agents.
#include <cstring>
#include <optional>
#include <map>
#include <mutex>

#include "harness/compare.h"
#include "harness/prng.h"
#include "simd/topk.h"
#include "targets/pq-l2/inputs.h"
#include "targets/pq-l2/pq_l2.h"

namespace lar::pq_l2 {
namespace {

// Elements after every output buffer that a kernel must not touch; a SIMD
// tail that overruns shows up as a mismatch even without a sanitizer.
constexpr size_t kGuard = 64;
constexpr uint32_t kSentinelBits = 0x7FC0DEADu;

float Sentinel() {
  float f;
  std::memcpy(&f, &kSentinelBits, sizeof(f));
  return f;
}

std::optional<Mismatch> CheckGuard(const std::string& field, const float* guard) {
  for (size_t i = 0; i < kGuard; ++i) {
    uint32_t bits;
    std::memcpy(&bits, guard + i, sizeof(bits));
    if (bits != kSentinelBits) {
      return Mismatch{field + " (past the end)", i, "untouched",
                      FormatFloat(guard[i]), "no writes outside the output"};
    }
  }
  return std::nullopt;
}

std::string ShapeName(const Shape& s) {
  return "(" + std::to_string(s.dim) + "," + std::to_string(s.num_sub_vectors) +
         "," + std::to_string(kNumCentroids) + ")";
}

// Copies `src` into a buffer at an offset of `misalign` elements.
template <typename T>
struct Placed {
  std::vector<T> storage;
  T* ptr;
  Placed(const std::vector<T>& src, size_t misalign, size_t extra = 0)
      : storage(src.size() + misalign + extra + 1) {
    ptr = storage.data() + misalign;
    std::copy(src.begin(), src.end(), ptr);
  }
};

Checker PrepareCase(const BatteryCase& c, uint64_t seed, KernelApi api) {
  auto ds = std::make_shared<Dataset>(BuildRandomDataset(c, seed));
  auto query = std::make_shared<std::vector<float>>(DrawQuery(c, seed));
  const size_t table_size = c.shape.num_sub_vectors * kNumCentroids;
  auto ref_table = std::make_shared<std::vector<float>>(table_size);
  auto ref_dist = std::make_shared<std::vector<float>>(c.n);
  reference::DistanceTable(c.shape, ds->codebook.data(), query->data(),
                           ref_table->data());
  reference::Distances(c.shape, ref_table->data(), ds->codes.data(), c.n,
                       ref_dist->data());
  const size_t misalign = c.misalign;
  return [=]() -> std::optional<Mismatch> {
    const Placed<float> codebook(ds->codebook, misalign);
    const Placed<uint8_t> codes(ds->codes, misalign);
    const Placed<float> q(*query, misalign);
    const std::unique_ptr<Prepared> prepared =
        api.prepare(ds->shape, codebook.ptr, codes.ptr, ds->n);
    std::vector<float> table(misalign + table_size + kGuard, Sentinel());
    float* t = table.data() + misalign;
    api.distance_table(*prepared, q.ptr, t);
    if (auto m = CheckGuard("table", t + table_size)) return m;
    if (auto m = CompareFloats("table", ref_table->data(), t, table_size,
                               kDefaultTolerance)) {
      return m;
    }
    // Distances from the reference table, so this checks the scan alone.
    const Placed<float> table_in(*ref_table, misalign);
    std::vector<float> dist(misalign + ds->n + kGuard, Sentinel());
    float* d = dist.data() + misalign;
    api.distances(*prepared, table_in.ptr, d);
    if (auto m = CheckGuard("distances", d + ds->n)) return m;
    return CompareFloats("distances", ref_dist->data(), d, ds->n,
                         kDefaultTolerance);
  };
}

// Trained partitions, built once per (workload, seed) and process: the
// k-means and encoding take seconds, and the bench builds the same data for
// every child process and for the best kernel's states.
std::shared_ptr<const Dataset> CachedDataset(const WorkloadSpec& spec, uint64_t seed) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const Dataset>> cache;
  const std::string key = std::to_string(spec.shape.dim) + "/" +
                          std::to_string(spec.shape.num_sub_vectors) + "/" +
                          data::DistributionName(spec.distribution) + "/" +
                          std::to_string(spec.base_vectors) + "/" +
                          std::to_string(spec.train_vectors) + "/" + std::to_string(seed);
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(key);
  if (it == cache.end()) {
    it = cache.emplace(key, std::make_shared<const Dataset>(BuildTrainedDataset(spec, seed)))
             .first;
  }
  return it->second;
}

// The outputs of one implementation in a combo: scratch table and
// distances (overwritten by every operation) and the top-k of every slot.
struct Side {
  std::vector<float> table, dist;
  std::vector<uint32_t> ids;   // [slot][k]
  std::vector<float> top;      // [slot][k]
  std::vector<size_t> count;   // [slot]
  size_t last = SIZE_MAX;      // slot of the last operation

  Side(size_t table_size, size_t n)
      : table(table_size), dist(n), ids(kQuerySlots * kTopK), top(kQuerySlots * kTopK),
        count(kQuerySlots) {}
  // The same contents in new allocations.
  Side Moved() const {
    Side s(table.size(), dist.size());
    s.ids = ids;
    s.top = top;
    s.count = count;
    return s;
  }
};

// One speed combo: a trained partition, 32 query slots, and the outputs of
// the candidate, the reference and (in a trial) the best kept kernel.
class PqCombo final : public ComboState {
 public:
  PqCombo(const WorkloadSpec& spec, uint64_t seed, KernelApi api,
          std::optional<KernelApi> best_api)
      : api_(api),
        best_api_(best_api),
        ds_(*CachedDataset(spec, seed)),
        source_(spec.distribution, spec.shape.dim, seed),
        queries_(kQuerySlots * spec.shape.dim),
        cand_(TableSize(), ds_.n),
        ref_(TableSize(), ds_.n),
        best_(best_api ? TableSize() : 0, best_api ? ds_.n : 0) {
    source_.Reseed(DeriveSeed(seed, "queries"));
    for (size_t i = 0; i < kQuerySlots; ++i) Refresh(i);
    Prepare();
  }

  size_t slots() const override { return kQuerySlots; }

  void Run(Impl impl, size_t i) override {
    const float* q = queries_.data() + i * ds_.shape.dim;
    switch (impl) {
      case Impl::kCandidate:
        RunKernel(api_, *prepared_, q, i, cand_);
        break;
      case Impl::kBest:
        RunKernel(*best_api_, *best_prepared_, q, i, best_);
        break;
      case Impl::kReference:
        reference::DistanceTable(ds_.shape, ds_.codebook.data(), q, ref_.table.data());
        reference::Distances(ds_.shape, ref_.table.data(), ds_.codes.data(), ds_.n,
                             ref_.dist.data());
        ref_.count[i] = SelectTopK(ref_.dist.data(), ds_.n, kTopK, &ref_.ids[i * kTopK],
                                   &ref_.top[i * kTopK]);
        ref_.last = i;
        break;
    }
  }

  std::optional<Mismatch> Check(size_t i) override {
    std::vector<float> recomputed;
    // Both kernels' outputs are read (in alternating order), so the check
    // warms neither kernel's buffers more than the other's.
    const bool best_first = best_api_ && (checks_++ % 2 == 1);
    if (best_first) {
      if (auto m = CheckSide(best_, i, "best kernel ", &recomputed)) return m;
    }
    if (auto m = CheckSide(cand_, i, "", &recomputed)) return m;
    if (best_api_ && !best_first) return CheckSide(best_, i, "best kernel ", &recomputed);
    return std::nullopt;
  }

  void Refresh(size_t i) override {
    source_.Draw(queries_.data() + i * ds_.shape.dim);
  }

  void Relocate() override {
    // New buffers are made while the old ones still exist, so none can
    // take an old address; a spacer of random size shifts the heap too.
    std::vector<char> spacer(static_cast<size_t>(relocations_rng_.Below(1 << 16)) + 1);
    Dataset ds = ds_;
    std::vector<float> queries = queries_;
    Side cand = cand_.Moved(), ref = ref_.Moved(), best = best_.Moved();
    ds_ = std::move(ds);
    queries_ = std::move(queries);
    Prepare();
    cand_ = std::move(cand);
    ref_ = std::move(ref);
    best_ = std::move(best);
    spacer_ = std::move(spacer);
  }

  double bytes_per_op() const override {
    // Codes once, the codebook once, the distances written once.
    return static_cast<double>(ds_.codes.size() + 4 * ds_.codebook.size() +
                               4 * ds_.n);
  }

 private:
  size_t TableSize() const { return ds_.shape.num_sub_vectors * kNumCentroids; }

  void Prepare() {
    prepared_ = api_.prepare(ds_.shape, ds_.codebook.data(), ds_.codes.data(), ds_.n);
    if (best_api_) {
      best_prepared_ =
          best_api_->prepare(ds_.shape, ds_.codebook.data(), ds_.codes.data(), ds_.n);
    }
  }

  void RunKernel(const KernelApi& api, Prepared& prepared, const float* q, size_t i,
                 Side& side) {
    api.distance_table(prepared, q, side.table.data());
    api.distances(prepared, side.table.data(), side.dist.data());
    side.count[i] = SelectTopK(side.dist.data(), ds_.n, kTopK, &side.ids[i * kTopK],
                               &side.top[i * kTopK]);
    side.last = i;
  }

  std::optional<Mismatch> CheckSide(const Side& side, size_t i, const std::string& who,
                                    std::vector<float>* recomputed) {
    // When the last operation of both this kernel and the reference was on
    // this slot, compare the full table and distance arrays too.
    const bool full = side.last == i && ref_.last == i;
    if (full) {
      if (auto m = CompareFloats(who + "table", ref_.table.data(), side.table.data(),
                                 TableSize(), kDefaultTolerance)) {
        return m;
      }
      if (auto m = CompareFloats(who + "distances", ref_.dist.data(), side.dist.data(),
                                 ds_.n, kDefaultTolerance)) {
        return m;
      }
    }
    auto ref_distance = [&](uint32_t id) -> float {
      if (ref_.last == i) return ref_.dist[id];
      if (recomputed->empty()) {
        std::vector<float> table(TableSize());
        recomputed->resize(ds_.n);
        reference::DistanceTable(ds_.shape, ds_.codebook.data(),
                                 queries_.data() + i * ds_.shape.dim, table.data());
        reference::Distances(ds_.shape, table.data(), ds_.codes.data(), ds_.n,
                             recomputed->data());
      }
      return (*recomputed)[id];
    };
    return CompareRanking(
        who + "top-" + std::to_string(kTopK),
        {&ref_.ids[i * kTopK], &ref_.top[i * kTopK], ref_.count[i]},
        {&side.ids[i * kTopK], &side.top[i * kTopK], side.count[i]}, ref_distance,
        kDefaultTolerance);
  }

  KernelApi api_;
  std::optional<KernelApi> best_api_;
  Dataset ds_;
  data::VectorSource source_;
  std::vector<float> queries_;
  std::unique_ptr<Prepared> prepared_, best_prepared_;
  Side cand_, ref_, best_;
  uint64_t checks_ = 0;
  SplitMix64 relocations_rng_{0x5EEDull};
  std::vector<char> spacer_;
};

}  // namespace

Target MakeTarget(const std::string& id, const KernelApi& api) {
  Target t;
  t.id = id;
  t.family = "vector";
  t.unit = "query";
  t.lance_source =
      "lance-index pq/distance.rs build_distance_table_l2 + compute_pq_distance";
  t.summary = "8-bit PQ L2: distance table, per-vector distances, top-10";
  t.kernel_target = api.kernel_target;
  t.battery = [api](uint64_t seed, bool quick) {
    std::vector<Case> cases;
    for (const BatteryCase& c : Battery(quick)) {
      const uint64_t case_seed = DeriveSeed(seed, c.name.c_str());
      cases.push_back({c.name, [c, case_seed, api] {
                         return PrepareCase(c, case_seed, api);
                       }});
    }
    return cases;
  };
  t.workloads = [api](bool quick, const void* best) {
    std::optional<KernelApi> best_api;
    if (best != nullptr) best_api = *static_cast<const KernelApi*>(best);
    std::vector<Combo> combos;
    for (const WorkloadSpec& spec : SpeedWorkloads(quick)) {
      combos.push_back({ShapeName(spec.shape),
                        data::DistributionName(spec.distribution),
                        [spec, api, best_api](uint64_t seed) -> std::unique_ptr<ComboState> {
                          return std::make_unique<PqCombo>(spec, seed, api, best_api);
                        },
                        [spec](uint64_t seed) { CachedDataset(spec, seed); }});
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
const Registrar kRegistrar(MakeTarget("pq-l2", ShippedKernel()));
}  // namespace

}  // namespace lar::pq_l2
