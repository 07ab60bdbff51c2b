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
#include "harness/prng.h"
#include "harness/slot_combo.h"
#include "targets/topk-merge/inputs.h"
#include "targets/topk-merge/topk_merge.h"

namespace lar::topk_merge {
namespace {

constexpr size_t kGuard = 64;
constexpr uint32_t kSentinelBits = 0x7FC0DEADu;
constexpr uint64_t kSentinelId = 0xDEADDEADDEADDEADull;

std::string Describe(float d, uint64_t id) {
  uint32_t bits;
  std::memcpy(&bits, &d, sizeof(bits));
  char buf[96];
  std::snprintf(buf, sizeof(buf), "(%s [0x%08" PRIx32 "], row %" PRIu64 ")",
                FormatFloat(d).c_str(), bits, id);
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

// The answers of one query: per-partition selections and the merge.
struct Answer {
  std::vector<float> selected_d;      // [P][k]
  std::vector<uint64_t> selected_id;  // [P][k]
  std::vector<size_t> selected_n;     // [P]
  std::vector<float> merged_d;        // [k]
  std::vector<uint64_t> merged_id;    // [k]
  size_t merged_n = 0;

  explicit Answer(const Shape& s)
      : selected_d(s.partitions * s.k + kGuard),
        selected_id(s.partitions * s.k + kGuard),
        selected_n(s.partitions),
        merged_d(s.k + kGuard),
        merged_id(s.k + kGuard) {}
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
                                  ref.selected_d.data() + p * s.k,
                                  ref.selected_id.data() + p * s.k, ref.selected_n[p],
                                  got.selected_d.data() + p * s.k,
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
    const Placed<float> d(problem->distances, misalign);
    const Placed<uint64_t> ids(problem->row_ids, misalign);
    const std::unique_ptr<Prepared> prepared = api.prepare(shape);
    Answer got(shape);
    float sentinel;
    std::memcpy(&sentinel, &kSentinelBits, sizeof(sentinel));
    std::fill(got.selected_d.begin(), got.selected_d.end(), sentinel);
    std::fill(got.selected_id.begin(), got.selected_id.end(), kSentinelId);
    std::fill(got.merged_d.begin(), got.merged_d.end(), sentinel);
    std::fill(got.merged_id.begin(), got.merged_id.end(), kSentinelId);
    std::vector<List> lists(shape.partitions);
    RunQuery(
        shape, d.ptr, ids.ptr, problem->sizes, &got, lists.data(),
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
        uint32_t bits;
        std::memcpy(&bits, od + i, sizeof(bits));
        if (bits != kSentinelBits || oi[i] != kSentinelId) {
          return Mismatch{field + " (past the count)", i, "untouched", Describe(od[i], oi[i]),
                          "no writes outside the answer"};
        }
      }
      return std::nullopt;
    };
    for (size_t p = 0; p < shape.partitions; ++p) {
      if (got.selected_n[p] > shape.k) break;  // reported as a count mismatch below
      const size_t end = p + 1 == shape.partitions ? shape.partitions * shape.k + kGuard
                                                   : (p + 1) * shape.k;
      if (auto m = untouched(got.selected_d.data(), got.selected_id.data(),
                             p * shape.k + got.selected_n[p], end,
                             "select[partition " + std::to_string(p) + "]")) {
        return m;
      }
    }
    if (got.merged_n <= shape.k) {
      if (auto m = untouched(got.merged_d.data(), got.merged_id.data(), got.merged_n,
                             shape.k + kGuard, "merge")) {
        return m;
      }
    }
    return CompareQuery("", shape, *want, got, true);
  };
}

struct Traits {
  using Api = KernelApi;
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
    std::copy(a.merged_id.begin(),
              a.merged_id.begin() + static_cast<std::ptrdiff_t>(a.merged_n), r->ids.begin());
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
  Target t;
  t.id = id;
  t.family = "vector";
  t.unit = "query";
  t.lance_source =
      "lance-index flat/index.rs FlatIndex::search_with_scratch + lance scanner.rs ann "
      "(SortExec fetch=k)";
  t.summary = "per-partition top-k select and the global (distance, row id) merge";
  t.tolerance = "exact equality of every (distance, row id) in the per-partition and merged answers";
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
      combos.push_back({ShapeName(spec.shape), OrderName(spec.order),
                        [spec, api, best_api](uint64_t seed) -> std::unique_ptr<ComboState> {
                          return std::make_unique<SlotCombo<Traits>>(
                              Traits::Data{spec.shape, spec.order}, seed, api, best_api);
                        },
                        nullptr});
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
const Registrar kRegistrar(MakeTarget("topk-merge", ShippedKernel()));
}  // namespace

}  // namespace lar::topk_merge
