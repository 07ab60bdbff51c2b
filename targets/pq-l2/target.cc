// pq-l2 registration: the glue between the harness and the kernel contract.
// The timed operation is what one probed partition costs in Lance: distance
// table + distances + top-10 select (the select is glue, as in Lance, and
// identical for candidate and reference). Immutable for agents.
#include <cstring>
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

// One speed combo: a trained partition, 32 query slots, per-impl scratch.
class PqCombo final : public ComboState {
 public:
  PqCombo(const WorkloadSpec& spec, uint64_t seed, KernelApi api)
      : api_(api),
        ds_(*CachedDataset(spec, seed)),
        source_(spec.distribution, spec.shape.dim, seed),
        queries_(kQuerySlots * spec.shape.dim),
        cand_table_(TableSize()),
        ref_table_(TableSize()),
        cand_dist_(ds_.n),
        ref_dist_(ds_.n),
        cand_ids_(kQuerySlots * kTopK),
        ref_ids_(kQuerySlots * kTopK),
        cand_top_(kQuerySlots * kTopK),
        ref_top_(kQuerySlots * kTopK),
        cand_count_(kQuerySlots),
        ref_count_(kQuerySlots) {
    source_.Reseed(DeriveSeed(seed, "queries"));
    for (size_t i = 0; i < kQuerySlots; ++i) Refresh(i);
    prepared_ = api_.prepare(ds_.shape, ds_.codebook.data(), ds_.codes.data(), ds_.n);
  }

  size_t slots() const override { return kQuerySlots; }

  void Run(Impl impl, size_t i) override {
    const float* q = queries_.data() + i * ds_.shape.dim;
    if (impl == Impl::kCandidate) {
      api_.distance_table(*prepared_, q, cand_table_.data());
      api_.distances(*prepared_, cand_table_.data(), cand_dist_.data());
      cand_count_[i] = SelectTopK(cand_dist_.data(), ds_.n, kTopK,
                                  &cand_ids_[i * kTopK], &cand_top_[i * kTopK]);
      last_cand_ = i;
    } else {
      reference::DistanceTable(ds_.shape, ds_.codebook.data(), q, ref_table_.data());
      reference::Distances(ds_.shape, ref_table_.data(), ds_.codes.data(), ds_.n,
                           ref_dist_.data());
      ref_count_[i] = SelectTopK(ref_dist_.data(), ds_.n, kTopK,
                                 &ref_ids_[i * kTopK], &ref_top_[i * kTopK]);
      last_ref_ = i;
    }
  }

  std::optional<Mismatch> Check(size_t i) override {
    // The last operation of both kernels was on this slot: compare the full
    // table and distance arrays too, not just the top-k.
    const bool full = last_cand_ == i && last_ref_ == i;
    if (full) {
      if (auto m = CompareFloats("table", ref_table_.data(), cand_table_.data(),
                                 TableSize(), kDefaultTolerance)) {
        return m;
      }
      if (auto m = CompareFloats("distances", ref_dist_.data(), cand_dist_.data(),
                                 ds_.n, kDefaultTolerance)) {
        return m;
      }
    }
    std::vector<float> recomputed;
    auto ref_distance = [&](uint32_t id) -> float {
      if (full) return ref_dist_[id];
      if (recomputed.empty()) {
        std::vector<float> table(TableSize());
        recomputed.resize(ds_.n);
        reference::DistanceTable(ds_.shape, ds_.codebook.data(),
                                 queries_.data() + i * ds_.shape.dim, table.data());
        reference::Distances(ds_.shape, table.data(), ds_.codes.data(), ds_.n,
                             recomputed.data());
      }
      return recomputed[id];
    };
    return CompareRanking(
        "top-" + std::to_string(kTopK),
        {&ref_ids_[i * kTopK], &ref_top_[i * kTopK], ref_count_[i]},
        {&cand_ids_[i * kTopK], &cand_top_[i * kTopK], cand_count_[i]},
        ref_distance, kDefaultTolerance);
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
    std::unique_ptr<Prepared> prepared =
        api_.prepare(ds.shape, ds.codebook.data(), ds.codes.data(), ds.n);
    std::vector<float> cand_table(TableSize()), ref_table(TableSize());
    std::vector<float> cand_dist(ds.n), ref_dist(ds.n);
    std::vector<uint32_t> cand_ids = cand_ids_, ref_ids = ref_ids_;
    std::vector<float> cand_top = cand_top_, ref_top = ref_top_;
    ds_ = std::move(ds);
    queries_ = std::move(queries);
    prepared_ = std::move(prepared);
    cand_table_ = std::move(cand_table);
    ref_table_ = std::move(ref_table);
    cand_dist_ = std::move(cand_dist);
    ref_dist_ = std::move(ref_dist);
    cand_ids_ = std::move(cand_ids);
    ref_ids_ = std::move(ref_ids);
    cand_top_ = std::move(cand_top);
    ref_top_ = std::move(ref_top);
    spacer_ = std::move(spacer);
    last_cand_ = last_ref_ = SIZE_MAX;
  }

  double bytes_per_op() const override {
    // Codes once, the codebook once, the distances written once.
    return static_cast<double>(ds_.codes.size() + 4 * ds_.codebook.size() +
                               4 * ds_.n);
  }

 private:
  size_t TableSize() const { return ds_.shape.num_sub_vectors * kNumCentroids; }

  KernelApi api_;
  Dataset ds_;
  data::VectorSource source_;
  std::unique_ptr<Prepared> prepared_;
  std::vector<float> queries_;
  std::vector<float> cand_table_, ref_table_, cand_dist_, ref_dist_;
  std::vector<uint32_t> cand_ids_, ref_ids_;
  std::vector<float> cand_top_, ref_top_;
  std::vector<size_t> cand_count_, ref_count_;
  size_t last_cand_ = SIZE_MAX;
  size_t last_ref_ = SIZE_MAX;
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
  t.workloads = [api](bool quick) {
    std::vector<Combo> combos;
    for (const WorkloadSpec& spec : SpeedWorkloads(quick)) {
      combos.push_back({ShapeName(spec.shape),
                        data::DistributionName(spec.distribution),
                        [spec, api](uint64_t seed) -> std::unique_ptr<ComboState> {
                          return std::make_unique<PqCombo>(spec, seed, api);
                        },
                        [spec](uint64_t seed) { CachedDataset(spec, seed); }});
    }
    return combos;
  };
  t.variant = [id](const void* other) {
    return MakeTarget(id, *static_cast<const KernelApi*>(other));
  };
  t.kernel_api_size = sizeof(KernelApi);
  return t;
}

namespace {
const Registrar kRegistrar(MakeTarget("pq-l2", ShippedKernel()));
}  // namespace

}  // namespace lar::pq_l2
