// topk-merge registration: the glue between the harness and the kernel
// contract. The timed operation is one query's selection: Select over each
// of P partitions' unsorted candidates, then one Merge of the P sorted
// results into the global top k. Answers compare exactly: (distance bits,
// row id) at every position, per partition and merged. Immutable for
// agents.
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <optional>

#include "harness/compare.h"
#include "base/prng.h"
#include "harness/slot_combo.h"
#include "targets/topk-merge/answer.h"
#include "harness/target_sdk.h"
#include "targets/topk-merge/inputs.h"
#include "targets/topk-merge/topk_merge.h"

namespace lar::topk_merge {
namespace {

void Reference(const Shape& s, const Problem& q, Answer* a, std::vector<reference::Entry>* heap,
               std::vector<List>* lists) {
  RunQuery(
      s, q.distances.data(), q.row_ids.data(), q.sizes, a, lists->data(),
      [&](const float* d, const uint64_t* i, size_t n, float* od, uint64_t* oi) {
        return reference::Select(d, i, n, s.k, heap->data(), od, oi);
      },
      [&](const List* l, size_t c, float* od, uint64_t* oi) {
        return reference::Merge(l, c, s.k, heap->data(), od, oi);
      });
}

Checker PrepareCase(const BatteryCase& bc, uint64_t seed, const KernelApi& api) {
  auto problem = std::make_shared<Problem>();
  SplitMix64 rng(seed);
  DrawProblem(bc.shape, bc.order, bc.ragged, rng, problem.get());
  const Shape shape = bc.shape;
  auto want = std::make_shared<Answer>(shape);
  {
    std::vector<reference::Entry> heap(shape.k);
    std::vector<List> lists(shape.partitions);
    Reference(shape, *problem, want.get(), &heap, &lists);
  }
  const size_t misalign = bc.misalign;
  return [=]() -> std::optional<Mismatch> {
    const Misaligned<float> d(problem->distances, misalign);
    const Misaligned<uint64_t> ids(problem->row_ids, misalign);
    const std::unique_ptr<Prepared> prepared = api.prepare(shape);
    Answer got(shape);
    std::vector<List> lists(shape.partitions);
    RunQuery(
        shape, d.data(), ids.data(), problem->sizes, &got, lists.data(),
        [&](const float* dd, const uint64_t* ii, size_t n, float* od, uint64_t* oi) {
          return api.select(*prepared, dd, ii, n, shape.k, od, oi);
        },
        [&](const List* l, size_t c, float* od, uint64_t* oi) {
          return api.merge(*prepared, l, c, shape.k, od, oi);
        });
    if (auto m = CheckAnswerGuards(shape, got)) return m;
    return CompareQuery("", shape, *want, got, true);
  };
}

struct Traits {
  using Api = KernelApi;
  using Case = BatteryCase;
  using Workload = WorkloadSpec;
  struct Data {
    Shape shape;
    Order order;
  };
  using Input = Problem;
  struct Scratch {
    Answer answer;                       // overwritten by every operation
    std::vector<List> lists;             // [P]
    std::vector<reference::Entry> heap;  // reference only
  };
  struct Result {
    std::vector<float> d;
    std::vector<uint64_t> ids;
    size_t n = 0;
  };
  using Source = SplitMix64;
  using PreparedPtr = std::unique_ptr<Prepared>;
  static constexpr size_t kSlots = kQuerySlots;

  static Source MakeSource(const Data&, uint64_t seed) {
    return SplitMix64(DeriveSeed(seed, "queries"));
  }
  static Input MakeInput(const Data&) { return {}; }
  static void Draw(const Data& d, Source& s, Input* q) {
    DrawProblem(d.shape, d.order, false, s, q);
  }
  static Scratch MakeScratch(const Data& d) {
    return {Answer(d.shape), std::vector<List>(d.shape.partitions),
            std::vector<reference::Entry>(d.shape.k)};
  }
  static Result MakeResult(const Data& d) {
    return {std::vector<float>(d.shape.k), std::vector<uint64_t>(d.shape.k), 0};
  }
  static PreparedPtr Prepare(const Api& api, const Data& d) { return api.prepare(d.shape); }
  static void Keep(const Answer& a, Result* r) {
    std::copy(a.merged_d.begin(), a.merged_d.begin() + static_cast<std::ptrdiff_t>(a.merged_n),
              r->d.begin());
    std::copy(a.merged_id.begin(), a.merged_id.begin() + static_cast<std::ptrdiff_t>(a.merged_n),
              r->ids.begin());
    r->n = a.merged_n;
  }
  static void RunKernel(const Api& api, PreparedPtr& p, const Data& d, const Input& q, Scratch& s,
                        Result* r) {
    const size_t k = d.shape.k;
    Prepared& prepared = *p;
    RunQuery(
        d.shape, q.distances.data(), q.row_ids.data(), q.sizes, &s.answer, s.lists.data(),
        [&](const float* dd, const uint64_t* ii, size_t n, float* od, uint64_t* oi) {
          return api.select(prepared, dd, ii, n, k, od, oi);
        },
        [&](const List* l, size_t c, float* od, uint64_t* oi) {
          return api.merge(prepared, l, c, k, od, oi);
        });
    Keep(s.answer, r);
  }
  static void RunReference(const Data& d, const Input& q, Scratch& s, Result* r) {
    Reference(d.shape, q, &s.answer, &s.heap, &s.lists);
    Keep(s.answer, r);
  }
  static std::optional<Mismatch> Check(const Data& d, const Input&, const Result& ref,
                                       const Scratch* ref_scratch, const Result& got,
                                       const Scratch* got_scratch, const std::string& who) {
    // Per-partition selections when both sides' last operation was on this
    // slot; the merged answer always.
    if (ref_scratch != nullptr && got_scratch != nullptr) {
      if (auto m = CompareQuery(who, d.shape, ref_scratch->answer, got_scratch->answer, true)) {
        return m;
      }
    }
    return CompareAnswers(who + "merge", ref.d.data(), ref.ids.data(), ref.n, got.d.data(),
                          got.ids.data(), got.n);
  }
  static double BytesPerOp(const Data& d) {
    // Every candidate's distance and row id is read once.
    return 12.0 * static_cast<double>(d.shape.partitions * d.shape.rows);
  }
};

}  // namespace

Target MakeTarget(const std::string& id, const KernelApi& api) {
  return MakeSlotTarget<Traits>(
      {.id = id,
       .family = "vector",
       .unit = "query",
       .lance_source =
           "lance-index flat/index.rs FlatIndex::search_with_scratch + lance scanner.rs ann "
           "(SortExec fetch=k)",
       .summary = "per-partition top-k select and the global (distance, row id) merge",
       .tolerance =
           "exact equality of every (distance, row id) in the per-partition and merged answers",
       .battery = &Battery,
       .prepare_case = &PrepareCase,
       .workloads = &SpeedWorkloads,
       .shape_name = [](const WorkloadSpec& w) { return ShapeName(w.shape); },
       .distribution_name = [](const WorkloadSpec& w) { return OrderName(w.order); },
       .data = [](const WorkloadSpec& w, uint64_t) -> Traits::Data {
         return {w.shape, w.order};
       }},
      api);
}

namespace {
const Registrar kRegistrar(MakeTarget("topk-merge", ShippedKernel()));
}  // namespace

}  // namespace lar::topk_merge
