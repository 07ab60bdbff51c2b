// posting-intersect registration: the glue between the harness and the
// kernel contract. The timed operation is one K-way intersection of one
// instance (instances rotate through the slots); the answer compares
// exactly: its count and every id. bytes_per_op is 4 bytes per input id.
// Immutable for agents.
#include <algorithm>
#include <optional>

#include "harness/compare.h"
#include "harness/slot_combo.h"
#include "harness/target_sdk.h"
#include "targets/posting-intersect/inputs.h"
#include "targets/posting-intersect/posting_intersect.h"

namespace lar::posting_intersect {
namespace {

std::optional<Mismatch> CompareAnswers(const std::string& field, const uint32_t* ref, size_t ref_n,
                                       const uint32_t* got, size_t got_n) {
  if (ref_n != got_n) {
    return Mismatch{field + " count", 0, std::to_string(ref_n), std::to_string(got_n),
                    "exact equality"};
  }
  return CompareExact(field, ref, got, ref_n);
}

size_t Shortest(const ListSet& set) {
  size_t n = set.empty() ? 0 : set[0].size();
  for (const auto& l : set) n = std::min(n, l.size());
  return n;
}

Checker PrepareCase(const BatteryCase& c, uint64_t seed, const KernelApi& api) {
  auto set = std::make_shared<ListSet>(DrawCase(c, seed));
  size_t longest = 0;
  for (const auto& l : *set) longest = std::max(longest, l.size());
  auto want = std::make_shared<std::vector<uint32_t>>(longest + 1);
  size_t want_n = 0;
  {
    std::vector<uint32_t> scratch(longest + 1);
    std::vector<List> views;
    for (const auto& l : *set) views.push_back({l.data(), l.size()});
    want_n = reference::Intersect(views.data(), views.size(), want->data(), scratch.data());
  }
  const size_t misalign = c.misalign;
  const Shape shape{c.lists, longest};
  return [=]() -> std::optional<Mismatch> {
    // Each list in an allocation of its own size, so a read past a list's
    // end is a heap overflow under ASan (Misaligned adds one spare).
    std::vector<std::vector<uint32_t>> copies;
    std::vector<List> views;
    for (const auto& l : *set) {
      copies.emplace_back(misalign + l.size());
      std::copy(l.begin(), l.end(), copies.back().begin() + static_cast<std::ptrdiff_t>(misalign));
    }
    for (size_t k = 0; k < set->size(); ++k) {
      views.push_back({copies[k].data() + misalign, (*set)[k].size()});
    }
    const std::unique_ptr<Prepared> prepared = api.prepare(shape);
    GuardedOutput<uint32_t> out(Shortest(*set), misalign);
    const size_t n = api.intersect(*prepared, views.data(), views.size(), out.data());
    if (auto m = out.CheckGuard("intersection")) return m;
    if (n > out.size()) {
      return Mismatch{"intersection count", 0, std::to_string(want_n), std::to_string(n),
                      "exact equality"};
    }
    return CompareAnswers("intersection", want->data(), want_n, out.data(), n);
  };
}

struct Traits {
  using Api = KernelApi;
  using Case = BatteryCase;
  using Workload = WorkloadSpec;
  struct Data {
    std::shared_ptr<const Instances> instances;
  };
  using Input = size_t;  // an instance
  struct Scratch {
    std::vector<uint32_t> buffer;  // the reference's second buffer
  };
  struct Result {
    std::vector<uint32_t> ids;
    size_t n = 0;
  };
  using Source = SplitMix64;
  using PreparedPtr = std::unique_ptr<Prepared>;
  static constexpr size_t kSlots = lar::posting_intersect::kSlots;

  static Source MakeSource(const Data&, uint64_t seed) {
    return SplitMix64(DeriveSeed(seed, "instances"));
  }
  static Input MakeInput(const Data&) { return 0; }
  static void Draw(const Data& d, Source& s, Input* i) { *i = s.Below(d.instances->sets.size()); }
  static Scratch MakeScratch(const Data& d) {
    return {std::vector<uint32_t>(d.instances->result_room + 1)};
  }
  static Result MakeResult(const Data& d) {
    return {std::vector<uint32_t>(d.instances->result_room + 1), 0};
  }
  static PreparedPtr Prepare(const Api& api, const Data& d) {
    return api.prepare(d.instances->shape);
  }
  static void RunKernel(const Api& api, PreparedPtr& p, const Data& d, const Input& i, Scratch&,
                        Result* r) {
    const std::vector<List>& v = d.instances->views[i];
    r->n = api.intersect(*p, v.data(), v.size(), r->ids.data());
  }
  static void RunReference(const Data& d, const Input& i, Scratch& s, Result* r) {
    const std::vector<List>& v = d.instances->views[i];
    r->n = reference::Intersect(v.data(), v.size(), r->ids.data(), s.buffer.data());
  }
  static std::optional<Mismatch> Check(const Data&, const Input&, const Result& ref, const Scratch*,
                                       const Result& got, const Scratch*, const std::string& who) {
    if (got.n > got.ids.size()) {
      return Mismatch{who + "intersection count", 0, std::to_string(ref.n), std::to_string(got.n),
                      "exact equality"};
    }
    return CompareAnswers(who + "intersection", ref.ids.data(), ref.n, got.ids.data(), got.n);
  }
  static double BytesPerOp(const Data& d) { return 4.0 * d.instances->mean_ids; }
};

}  // namespace

Target MakeTarget(const std::string& id, const KernelApi& api) {
  return MakeSlotTarget<Traits>(
      {.id = id,
       .family = "query",
       .unit = "intersect",
       .lance_source =
           "lance-index scalar/inverted/wand.rs next_and_candidate (AND by per-list seeks); "
           "newest bulk AND / lead stream; lance-autoresearch crates/posting-intersect",
       .summary = "K-way AND of sorted u32 posting lists (workspace combos + Zipf pairs)",
       .tolerance = "exact equality of the intersection (count and every id)",
       .battery = &Battery,
       .prepare_case = &PrepareCase,
       .workloads = &SpeedWorkloads,
       .shape_name = &ShapeName,
       .distribution_name = &DistributionName,
       .data = [](const WorkloadSpec& w, uint64_t) -> Traits::Data { return {SpeedInstances(w)}; },
       .preload = [](const WorkloadSpec& w, uint64_t) { SpeedInstances(w); }},
      api);
}

namespace {
const Registrar kRegistrar(MakeTarget("posting-intersect", ShippedKernel()));
}  // namespace

}  // namespace lar::posting_intersect
