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
#include "harness/target_sdk.h"
#include "targets/topk-merge/inputs.h"
#include "targets/topk-merge/topk_merge.h"

namespace lar::topk_merge {
namespace {

std::string Describe(float d, uint64_t id) {
  uint32_t bits;
  std::memcpy(&bits, &d, sizeof(bits));
  char buf[96];
  std::snprintf(buf, sizeof(buf), "(%s [0x%08" PRIx32 "], row %" PRIu64 ")", FormatFloat(d).c_str(),
                bits, id);
  return buf;
}

// Exact equality of two sorted answers: the count, then every (distance
// bits, row id) pair.
std::optional<Mismatch> CompareAnswers(const std::string& field, const float* ref_d,
                                       const uint64_t* ref_id, size_t ref_n, const float* got_d,
                                       const uint64_t* got_id, size_t got_n) {
  if (ref_n != got_n) {
    return Mismatch{field + " count", 0, std::to_string(ref_n), std::to_string(got_n),
                    "exact equality"};
  }
  for (size_t i = 0; i < ref_n; ++i) {
    if (std::memcmp(ref_d + i, got_d + i, sizeof(float)) != 0 || ref_id[i] != got_id[i]) {
      return Mismatch{field, i, Describe(ref_d[i], ref_id[i]), Describe(got_d[i], got_id[i]),
                      "exact (distance bits, row id) in (total order, row id) order"};
    }
  }
  return std::nullopt;
}

// The answers of one query: per-partition selections and the merge, each
// followed by guard elements; all start as sentinels (GuardSentinel), so
// the battery sees any write past an answer's count.
struct Answer {
  std::vector<float> selected_d;      // [P][k]
  std::vector<uint64_t> selected_id;  // [P][k]
  std::vector<size_t> selected_n;     // [P]
  std::vector<float> merged_d;        // [k]
  std::vector<uint64_t> merged_id;    // [k]
  size_t merged_n = 0;

  explicit Answer(const Shape& s)
      : selected_d(s.partitions * s.k + kGuardElements, GuardSentinel<float>()),
        selected_id(s.partitions * s.k + kGuardElements, GuardSentinel<uint64_t>()),
        selected_n(s.partitions),
        merged_d(s.k + kGuardElements, GuardSentinel<float>()),
        merged_id(s.k + kGuardElements, GuardSentinel<uint64_t>()) {}
};

// One query through any implementation; `lists` is scratch of P entries.
template <class SelectFn, class MergeFn>
void RunQuery(const Shape& s, const float* d, const uint64_t* ids, const std::vector<size_t>& sizes,
              Answer* a, List* lists, SelectFn select, MergeFn merge) {
  size_t offset = 0;
  for (size_t p = 0; p < s.partitions; ++p) {
    float* od = a->selected_d.data() + p * s.k;
    uint64_t* oi = a->selected_id.data() + p * s.k;
    a->selected_n[p] = select(d + offset, ids + offset, sizes[p], od, oi);
    lists[p] = {od, oi, a->selected_n[p]};
    offset += sizes[p];
  }
  a->merged_n = merge(lists, s.partitions, a->merged_d.data(), a->merged_id.data());
}

std::optional<Mismatch> CompareQuery(const std::string& who, const Shape& s, const Answer& ref,
                                     const Answer& got, bool selections) {
  if (selections) {
    for (size_t p = 0; p < s.partitions; ++p) {
      if (auto m = CompareAnswers(who + "select[partition " + std::to_string(p) + "]",
                                  ref.selected_d.data() + p * s.k, ref.selected_id.data() + p * s.k,
                                  ref.selected_n[p], got.selected_d.data() + p * s.k,
                                  got.selected_id.data() + p * s.k, got.selected_n[p])) {
        return m;
      }
    }
  }
  return CompareAnswers(who + "merge", ref.merged_d.data(), ref.merged_id.data(), ref.merged_n,
                        got.merged_d.data(), got.merged_id.data(), got.merged_n);
}

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
    // Writes past each answer's count: a select may only fill its own
    // min(k, n) entries, the merge its min(k, total).
    auto untouched = [&](const float* od, const uint64_t* oi, size_t from, size_t to,
                         const std::string& field) -> std::optional<Mismatch> {
      for (size_t i = from; i < to; ++i) {
        if (!IsSentinel(od[i]) || !IsSentinel(oi[i])) {
          return Mismatch{field + " (past the count)", i, "untouched", Describe(od[i], oi[i]),
                          "no writes outside the answer"};
        }
      }
      return std::nullopt;
    };
    for (size_t p = 0; p < shape.partitions; ++p) {
      if (got.selected_n[p] > shape.k) break;  // reported as a count mismatch below
      const size_t end = p + 1 == shape.partitions ? shape.partitions * shape.k + kGuardElements
                                                   : (p + 1) * shape.k;
      if (auto m = untouched(got.selected_d.data(), got.selected_id.data(),
                             p * shape.k + got.selected_n[p], end,
                             "select[partition " + std::to_string(p) + "]")) {
        return m;
      }
    }
    if (got.merged_n <= shape.k) {
      if (auto m = untouched(got.merged_d.data(), got.merged_id.data(), got.merged_n,
                             shape.k + kGuardElements, "merge")) {
        return m;
      }
    }
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
