// pq-dot registration: the glue between the harness and the kernel contract.
// The timed operation: distance table + distances + top-10 select (glue).
// Tolerance: dot products have mixed signs and 1 - q.x cancels, so errors
// are judged against the sum of absolute terms (docs/lance/vector.md
// s7): |got - ref| <= (M + s + 4) * 2^-24 * sum|terms|, which covers any
// summation order and FMA. Immutable for agents.
#include <cmath>
#include <optional>

#include "harness/compare.h"
#include "base/prng.h"
#include "harness/pq_probe.h"
#include "harness/target_sdk.h"
#include "simd/topk.h"
#include "targets/pq-dot/inputs.h"
#include "targets/pq-dot/pq_dot.h"

namespace lar::pq_dot {
namespace {

constexpr double kEpsilon = 0x1.0p-24;

double Factor(const Shape& s) {
  return static_cast<double>(s.num_sub_vectors + s.sub_dim() + 4) * kEpsilon;
}

std::string Rule(const Shape& s) {
  return "|got-ref| <= " + std::to_string(s.num_sub_vectors + s.sub_dim() + 4) +
         " * 2^-24 * sum|terms|";
}

// Error bounds of every table entry: factor * (1 + sum_i |q_i * c_i|).
std::vector<double> TableBounds(const Shape& shape, const float* codebook, const float* query) {
  const size_t s = shape.sub_dim();
  std::vector<double> bound(shape.num_sub_vectors * kNumCentroids);
  for (size_t m = 0; m < shape.num_sub_vectors; ++m) {
    for (size_t k = 0; k < kNumCentroids; ++k) {
      const float* c = codebook + (m * kNumCentroids + k) * s;
      double sum = 1.0;
      for (size_t i = 0; i < s; ++i) {
        sum += std::fabs(static_cast<double>(query[m * s + i]) * c[i]);
      }
      bound[m * kNumCentroids + k] = Factor(shape) * sum + 1e-30;
    }
  }
  return bound;
}

// Error bound of distance j: factor * (sum_m |T[m][code]| + M - 1).
double DistanceBound(const Shape& shape, const float* table, const uint8_t* codes, size_t n,
                     size_t j) {
  double sum = static_cast<double>(shape.num_sub_vectors) - 1.0;
  for (size_t m = 0; m < shape.num_sub_vectors; ++m) {
    sum += std::fabs(static_cast<double>(table[m * kNumCentroids + codes[m * n + j]]));
  }
  return Factor(shape) * sum + 1e-30;
}

std::vector<double> DistanceBounds(const Shape& shape, const float* table, const uint8_t* codes,
                                   size_t n) {
  std::vector<double> bound(n);
  for (size_t j = 0; j < n; ++j) bound[j] = DistanceBound(shape, table, codes, n, j);
  return bound;
}

Checker PrepareCase(const BatteryCase& c, uint64_t seed, const KernelApi& api) {
  auto ds = std::make_shared<Dataset>(BuildRandomDataset(c, seed));
  auto query = std::make_shared<std::vector<float>>(DrawQuery(c, seed));
  const size_t table_size = c.shape.num_sub_vectors * kNumCentroids;
  auto ref_table = std::make_shared<std::vector<float>>(table_size);
  auto ref_dist = std::make_shared<std::vector<float>>(c.n);
  reference::DistanceTable(c.shape, ds->codebook.data(), query->data(), ref_table->data());
  reference::Distances(c.shape, ref_table->data(), ds->codes.data(), c.n, ref_dist->data());
  auto table_bound = std::make_shared<std::vector<double>>(
      TableBounds(c.shape, ds->codebook.data(), query->data()));
  auto dist_bound = std::make_shared<std::vector<double>>(
      DistanceBounds(c.shape, ref_table->data(), ds->codes.data(), c.n));
  const size_t misalign = c.misalign;
  return [=]() -> std::optional<Mismatch> {
    const Misaligned<float> codebook(ds->codebook, misalign);
    const Misaligned<uint8_t> codes(ds->codes, misalign);
    const Misaligned<float> q(*query, misalign);
    const std::unique_ptr<Prepared> prepared =
        api.prepare(ds->shape, codebook.data(), codes.data(), ds->n);
    GuardedOutput<float> table(table_size, misalign);
    api.distance_table(*prepared, q.data(), table.data());
    if (auto m = CheckOutputWithin("table", table, *ref_table, *table_bound, Rule(c.shape))) {
      return m;
    }
    const Misaligned<float> table_in(*ref_table, misalign);
    GuardedOutput<float> dist(ds->n, misalign);
    api.distances(*prepared, table_in.data(), dist.data());
    return CheckOutputWithin("distances", dist, *ref_dist, *dist_bound, Rule(c.shape));
  };
}

// The speed combo (PqProbeTraits: a trained partition, each slot a query,
// per slot its top-10); per kernel a scratch table and distance array.
struct Traits : PqProbeTraits<Dataset, WorkloadSpec, &BuildTrainedDataset, kTopK, kQuerySlots> {
  using Api = KernelApi;
  using Case = BatteryCase;
  struct Scratch {
    std::vector<float> table, dist;
  };
  using PreparedPtr = std::unique_ptr<Prepared>;

  static Scratch MakeScratch(const Data& d) {
    return {std::vector<float>(TableSize(d)), std::vector<float>(d.ds.n)};
  }
  static PreparedPtr Prepare(const Api& api, const Data& d) {
    return api.prepare(d.ds.shape, d.ds.codebook.data(), d.ds.codes.data(), d.ds.n);
  }
  static void RunKernel(const Api& api, PreparedPtr& p, const Data& d, const Input& q, Scratch& s,
                        Result* r) {
    api.distance_table(*p, q.data(), s.table.data());
    api.distances(*p, s.table.data(), s.dist.data());
    r->count = SelectTopK(s.dist.data(), d.ds.n, kTopK, r->ids, r->top);
  }
  static void RunReference(const Data& d, const Input& q, Scratch& s, Result* r) {
    reference::DistanceTable(d.ds.shape, d.ds.codebook.data(), q.data(), s.table.data());
    reference::Distances(d.ds.shape, s.table.data(), d.ds.codes.data(), d.ds.n, s.dist.data());
    r->count = SelectTopK(s.dist.data(), d.ds.n, kTopK, r->ids, r->top);
  }
  static std::optional<Mismatch> Check(const Data& d, const Input& q, const Result& ref,
                                       const Scratch* ref_scratch, const Result& got,
                                       const Scratch* got_scratch, const std::string& who) {
    const Shape& shape = d.ds.shape;
    Scratch recomputed;
    if (ref_scratch == nullptr) {
      recomputed = MakeScratch(d);
      Result r;
      RunReference(d, q, recomputed, &r);
      ref_scratch = &recomputed;
    }
    if (got_scratch != nullptr) {
      const std::vector<double> tb = TableBounds(shape, d.ds.codebook.data(), q.data());
      if (auto m = CompareFloatsWithin(who + "table", ref_scratch->table.data(),
                                       got_scratch->table.data(), tb.data(), TableSize(d),
                                       Rule(shape))) {
        return m;
      }
      const std::vector<double> db =
          DistanceBounds(shape, ref_scratch->table.data(), d.ds.codes.data(), d.ds.n);
      if (auto m = CompareFloatsWithin(who + "distances", ref_scratch->dist.data(),
                                       got_scratch->dist.data(), db.data(), d.ds.n, Rule(shape))) {
        return m;
      }
    }
    // Ties at the boundary: within the largest error bound of the ids
    // (which must first be ids: DistanceBound reads their codes).
    if (auto m = CheckRankedIds(who + "top-" + std::to_string(kTopK), got.list(), d.ds.n)) return m;
    double bound = 0.0;
    for (size_t i = 0; i < ref.count; ++i) {
      bound = std::max(bound, DistanceBound(shape, ref_scratch->table.data(), d.ds.codes.data(),
                                            d.ds.n, ref.ids[i]));
    }
    for (size_t i = 0; i < got.count; ++i) {
      bound = std::max(bound, DistanceBound(shape, ref_scratch->table.data(), d.ds.codes.data(),
                                            d.ds.n, got.ids[i]));
    }
    const float* ref_dist = ref_scratch->dist.data();
    return CompareRanking(
        who + "top-" + std::to_string(kTopK), ref.list(), got.list(), d.ds.n,
        [&](uint32_t id) { return ref_dist[id]; }, Tolerance{bound, 0.0});
  }
};

}  // namespace

Target MakeTarget(const std::string& id, const KernelApi& api) {
  return MakeSlotTarget<Traits>(
      {.id = id,
       .family = "vector",
       .unit = "query",
       .lance_source =
           "lance-index pq/distance.rs build_distance_table_dot + compute_pq_distance - (M-1)",
       .summary = "8-bit PQ dot: 1-dot table, summed distances minus M-1, top-10",
       .tolerance = "`|got - ref| <= (M + s + 4) * 2^-24 * sum|terms|` (the sum of absolute terms "
                    "bounds any summation order), and the same top-10",
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
const Registrar kRegistrar(MakeTarget("pq-dot", ShippedKernel()));
}  // namespace

}  // namespace lar::pq_dot
