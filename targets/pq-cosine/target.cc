// pq-cosine registration: the glue between the harness and the kernel
// contract. The timed operation is what one probed partition costs in
// Lance's cosine IVF_PQ search: normalize + residual + L2 distance table +
// distances + top-10 select (glue). Immutable for agents.
#include <optional>

#include "harness/compare.h"
#include "base/prng.h"
#include "harness/pq_probe.h"
#include "harness/target_sdk.h"
#include "simd/topk.h"
#include "targets/pq-cosine/inputs.h"
#include "targets/pq-cosine/pq_cosine.h"

namespace lar::pq_cosine {
namespace {

Checker PrepareCase(const BatteryCase& c, uint64_t seed, const KernelApi& api) {
  auto ds = std::make_shared<Dataset>(BuildRandomDataset(c, seed));
  auto query = std::make_shared<std::vector<float>>(DrawQuery(c, seed));
  const size_t table_size = c.shape.num_sub_vectors * kNumCentroids;
  auto ref_residual = std::make_shared<std::vector<float>>(c.shape.dim);
  auto ref_table = std::make_shared<std::vector<float>>(table_size);
  auto ref_dist = std::make_shared<std::vector<float>>(c.n);
  reference::QueryResidual(c.shape, ds->centroid.data(), query->data(), ref_residual->data());
  reference::DistanceTable(c.shape, ds->codebook.data(), ref_residual->data(), ref_table->data());
  reference::Distances(c.shape, ref_table->data(), ds->codes.data(), c.n, ref_dist->data());
  const size_t misalign = c.misalign;
  return [=]() -> std::optional<Mismatch> {
    const Misaligned<float> codebook(ds->codebook, misalign);
    const Misaligned<uint8_t> codes(ds->codes, misalign);
    const Misaligned<float> centroid(ds->centroid, misalign);
    const Misaligned<float> q(*query, misalign);
    const std::unique_ptr<Prepared> prepared =
        api.prepare(ds->shape, codebook.data(), codes.data(), ds->n, centroid.data());
    // Each stage from the reference's input, so a failure names its stage.
    GuardedOutput<float> residual(c.shape.dim, misalign);
    api.query_residual(*prepared, q.data(), residual.data());
    if (auto m = CheckOutput("residual", residual, *ref_residual)) return m;
    const Misaligned<float> residual_in(*ref_residual, misalign);
    GuardedOutput<float> table(table_size, misalign);
    api.distance_table(*prepared, residual_in.data(), table.data());
    if (auto m = CheckOutput("table", table, *ref_table)) return m;
    const Misaligned<float> table_in(*ref_table, misalign);
    GuardedOutput<float> dist(ds->n, misalign);
    api.distances(*prepared, table_in.data(), dist.data());
    return CheckOutput("distances", dist, *ref_dist);
  };
}

// The speed combo (PqProbeTraits: a trained partition, each slot a query,
// per slot its top-10); per kernel a scratch residual, table and distance array.
struct Traits : PqProbeTraits<Dataset, WorkloadSpec, &BuildTrainedDataset, kTopK, kQuerySlots> {
  using Api = KernelApi;
  using Case = BatteryCase;
  struct Scratch {
    std::vector<float> residual, table, dist;
  };
  using PreparedPtr = std::unique_ptr<Prepared>;

  static Scratch MakeScratch(const Data& d) {
    return {std::vector<float>(d.ds.shape.dim), std::vector<float>(TableSize(d)),
            std::vector<float>(d.ds.n)};
  }
  static PreparedPtr Prepare(const Api& api, const Data& d) {
    return api.prepare(d.ds.shape, d.ds.codebook.data(), d.ds.codes.data(), d.ds.n,
                       d.ds.centroid.data());
  }
  static void RunKernel(const Api& api, PreparedPtr& p, const Data& d, const Input& q, Scratch& s,
                        Result* r) {
    api.query_residual(*p, q.data(), s.residual.data());
    api.distance_table(*p, s.residual.data(), s.table.data());
    api.distances(*p, s.table.data(), s.dist.data());
    r->count = SelectTopK(s.dist.data(), d.ds.n, kTopK, r->ids, r->top);
  }
  static void RunReference(const Data& d, const Input& q, Scratch& s, Result* r) {
    reference::QueryResidual(d.ds.shape, d.ds.centroid.data(), q.data(), s.residual.data());
    reference::DistanceTable(d.ds.shape, d.ds.codebook.data(), s.residual.data(), s.table.data());
    reference::Distances(d.ds.shape, s.table.data(), d.ds.codes.data(), d.ds.n, s.dist.data());
    r->count = SelectTopK(s.dist.data(), d.ds.n, kTopK, r->ids, r->top);
  }
  static std::optional<Mismatch> Check(const Data& d, const Input& q, const Result& ref,
                                       const Scratch* ref_scratch, const Result& got,
                                       const Scratch* got_scratch, const std::string& who) {
    if (got_scratch != nullptr) {
      if (auto m = CompareFloats(who + "residual", ref_scratch->residual.data(),
                                 got_scratch->residual.data(), d.ds.shape.dim, kDefaultTolerance)) {
        return m;
      }
      if (auto m = CompareFloats(who + "table", ref_scratch->table.data(),
                                 got_scratch->table.data(), TableSize(d), kDefaultTolerance)) {
        return m;
      }
      if (auto m = CompareFloats(who + "distances", ref_scratch->dist.data(),
                                 got_scratch->dist.data(), d.ds.n, kDefaultTolerance)) {
        return m;
      }
    }
    std::vector<float> recomputed;
    auto ref_distance = [&](uint32_t id) -> float {
      if (ref_scratch != nullptr) return ref_scratch->dist[id];
      if (recomputed.empty()) {
        Scratch s = MakeScratch(d);
        Result r;
        RunReference(d, q, s, &r);
        recomputed = std::move(s.dist);
      }
      return recomputed[id];
    };
    return CompareRanking(who + "top-" + std::to_string(kTopK), ref.list(), got.list(), d.ds.n,
                          ref_distance, kDefaultTolerance);
  }
};

}  // namespace

Target MakeTarget(const std::string& id, const KernelApi& api) {
  return MakeSlotTarget<Traits>(
      {.id = id,
       .family = "vector",
       .unit = "query",
       .lance_source =
           "lance-linalg kernels.rs normalize + ivf v2.rs residual + pq/distance.rs (L2 path)",
       .summary = "cosine IVF_PQ probe: normalize, residual, L2 table, distances, top-10",
       .tolerance = "`|got - ref| <= 1e-4 + 1e-5*|ref|` on tables and distances, and the same "
                    "top-10 (ties within tolerance may swap)",
       .battery = &Battery,
       .prepare_case = &PrepareCase,
       .workloads = &SpeedWorkloads,
       .shape_name = &Traits::ShapeName,
       .distribution_name = &Traits::DistributionName,
       .data = &Traits::MakeData,
       .preload = &Traits::Preload},
      api);
}

namespace {
const Registrar kRegistrar(MakeTarget("pq-cosine", ShippedKernel()));
}  // namespace

}  // namespace lar::pq_cosine
