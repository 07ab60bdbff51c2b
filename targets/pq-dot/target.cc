// pq-dot registration: the glue between the harness and the kernel contract
// (battery checks, speed combos, variants). Immutable for agents.
#include <cstring>
#include <optional>

#include "harness/compare.h"
#include "harness/prng.h"
#include "harness/slot_combo.h"
#include "targets/pq-dot/pq_dot.h"
#include "targets/pq-dot/inputs.h"

namespace lar::pq_dot {
namespace {

// Elements after every output that a kernel must not touch.
constexpr size_t kGuard = 64;
constexpr uint32_t kSentinelBits = 0x7FC0DEADu;

std::string ShapeName(const Shape& s) { return "(n=" + std::to_string(s.n) + ")"; }

Checker PrepareCase(const BatteryCase& c, uint64_t seed, KernelApi api) {
  auto x = std::make_shared<std::vector<float>>(DrawInput(c, seed));
  auto want = std::make_shared<std::vector<float>>(c.shape.n);
  reference::Run(c.shape, x->data(), want->data());
  return [=]() -> std::optional<Mismatch> {
    std::vector<float> in(c.misalign + x->size() + 1);
    std::copy(x->begin(), x->end(), in.begin() + static_cast<std::ptrdiff_t>(c.misalign));
    float sentinel;
    std::memcpy(&sentinel, &kSentinelBits, sizeof(sentinel));
    std::vector<float> out(c.misalign + c.shape.n + kGuard, sentinel);
    float* y = out.data() + c.misalign;
    const std::unique_ptr<Prepared> p = api.prepare(c.shape);
    api.run(*p, in.data() + c.misalign, y);
    for (size_t i = 0; i < kGuard; ++i) {
      uint32_t bits;
      std::memcpy(&bits, y + c.shape.n + i, sizeof(bits));
      if (bits != kSentinelBits) {
        return Mismatch{"y (past the end)", i, "untouched", FormatFloat(y[c.shape.n + i]),
                        "no writes outside the output"};
      }
    }
    return CompareFloats("y", want->data(), y, c.shape.n, kDefaultTolerance);
  };
}

// The speed combo: each slot holds an input array; every kernel writes its
// own output per slot.
struct Traits {
  using Api = KernelApi;
  struct Data {
    Shape shape;
    data::Distribution distribution;
  };
  using Input = std::vector<float>;
  struct Scratch {};
  using Result = std::vector<float>;
  using Source = data::VectorSource;
  using PreparedPtr = std::unique_ptr<Prepared>;
  static constexpr size_t kSlots = lar::pq_dot::kSlots;

  static Source MakeSource(const Data& d, uint64_t seed) {
    return Source(d.distribution, d.shape.n, seed);
  }
  static Input MakeInput(const Data& d) { return Input(d.shape.n); }
  static void Draw(const Data& d, Source& s, Input* x) {
    if (d.shape.n > 0) s.Draw(x->data());
  }
  static Scratch MakeScratch(const Data&) { return {}; }
  static Result MakeResult(const Data& d) { return Result(d.shape.n); }
  static PreparedPtr Prepare(const Api& api, const Data& d) { return api.prepare(d.shape); }
  static void RunKernel(const Api& api, PreparedPtr& p, const Data&, const Input& x, Scratch&,
                        Result* y) {
    api.run(*p, x.data(), y->data());
  }
  static void RunReference(const Data& d, const Input& x, Scratch&, Result* y) {
    reference::Run(d.shape, x.data(), y->data());
  }
  static std::optional<Mismatch> Check(const Data& d, const Input&, const Result& ref,
                                       const Scratch*, const Result& got, const Scratch*,
                                       const std::string& who) {
    return CompareFloats(who + "y", ref.data(), got.data(), d.shape.n, kDefaultTolerance);
  }
  static double BytesPerOp(const Data& d) { return 8.0 * static_cast<double>(d.shape.n); }
};

}  // namespace

Target MakeTarget(const std::string& id, const KernelApi& api) {
  Target t;
  t.id = id;
  t.family = "vector";
  t.unit = "value";  // TODO(pq-dot): what one operation processes (query, value, list, ...)
  t.lance_source = "TODO(pq-dot): the Lance file and function";
  t.summary = "TODO(pq-dot): one line for lar list";
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
                          return std::make_unique<SlotCombo<Traits>>(
                              Traits::Data{spec.shape, spec.distribution}, seed, api, best_api);
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
const Registrar kRegistrar(MakeTarget("pq-dot", ShippedKernel()));
}  // namespace

}  // namespace lar::pq_dot
