// The target SDK: guard sentinels and their mismatch messages, misaligned
// copies, and a toy target built by MakeSlotTarget (battery seeds, combos,
// the best kernel, variants).
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "harness/target_sdk.h"

namespace lar {
namespace {

// ---- A toy target: y = 2x over n floats -----------------------------------

struct ToyPrepared {};

struct ToyApi {
  void (*run)(const float* x, size_t n, float* y);
  int64_t (*kernel_target)();
};

void Double(const float* x, size_t n, float* y) {
  for (size_t i = 0; i < n; ++i) y[i] = 2.0f * x[i];
}
void DoubleOverrun(const float* x, size_t n, float* y) {
  Double(x, n, y);
  y[n + 1] = 0.0f;  // one element into the guard
}
int64_t TargetA() { return 1; }
int64_t TargetB() { return 2; }

int best_runs = 0;
void CountedDouble(const float* x, size_t n, float* y) {
  ++best_runs;
  Double(x, n, y);
}

struct ToyCase {
  std::string name;
  size_t n;
  size_t misalign;
};
struct ToyWorkload {
  size_t n;
};

std::vector<ToyCase> ToyBattery(bool quick) {
  std::vector<ToyCase> cases = {{"n=0", 0, 0}, {"n=17 +1", 17, 1}};
  if (!quick) cases.push_back({"n=1000 +3", 1000, 3});
  return cases;
}

std::vector<float> Draw(size_t n, uint64_t seed) {
  data::VectorSource source(data::Distribution::kGaussian, 1, seed);
  std::vector<float> x(n);
  for (float& v : x) source.Draw(&v);
  return x;
}

Checker ToyCheck(const ToyCase& c, uint64_t seed, const ToyApi& api) {
  const std::vector<float> x = Draw(c.n, seed);
  std::vector<float> want(c.n);
  Double(x.data(), c.n, want.data());
  return [=]() -> std::optional<Mismatch> {
    const Misaligned<float> in(x, c.misalign);
    GuardedOutput<float> y(c.n, c.misalign);
    api.run(in.data(), c.n, y.data());
    return CheckOutput("y", y, want);
  };
}

struct ToyTraits {
  using Api = ToyApi;
  using Case = ToyCase;
  using Workload = ToyWorkload;
  struct Data {
    size_t n;
  };
  using Input = std::vector<float>;
  struct Scratch {};
  using Result = std::vector<float>;
  using Source = SplitMix64;
  using PreparedPtr = std::unique_ptr<ToyPrepared>;
  static constexpr size_t kSlots = 4;

  static Source MakeSource(const Data&, uint64_t seed) { return SplitMix64(seed); }
  static Input MakeInput(const Data& d) { return Input(d.n); }
  static void Draw(const Data&, Source& s, Input* x) {
    for (float& v : *x) v = static_cast<float>(s.Below(1000));
  }
  static Scratch MakeScratch(const Data&) { return {}; }
  static Result MakeResult(const Data& d) { return Result(d.n); }
  static PreparedPtr Prepare(const Api&, const Data&) { return std::make_unique<ToyPrepared>(); }
  static void RunKernel(const Api& api, PreparedPtr&, const Data& d, const Input& x, Scratch&,
                        Result* y) {
    api.run(x.data(), d.n, y->data());
  }
  static void RunReference(const Data& d, const Input& x, Scratch&, Result* y) {
    Double(x.data(), d.n, y->data());
  }
  static std::optional<Mismatch> Check(const Data& d, const Input&, const Result& ref,
                                       const Scratch*, const Result& got, const Scratch*,
                                       const std::string& who) {
    return CompareFloats(who + "y", ref.data(), got.data(), d.n, kDefaultTolerance);
  }
  static double BytesPerOp(const Data& d) { return 8.0 * static_cast<double>(d.n); }
};

int preloads = 0;

SlotTargetSpec<ToyTraits> ToySpec(bool with_preload) {
  SlotTargetSpec<ToyTraits> spec{
      .id = "toy",
      .family = "query",
      .unit = "value",
      .lance_source = "none",
      .summary = "y = 2x",
      .tolerance = "bitwise equality",
      .battery = &ToyBattery,
      .prepare_case = &ToyCheck,
      .workloads =
          [](bool quick) {
            return quick ? std::vector<ToyWorkload>{{8}} : std::vector<ToyWorkload>{{8}, {64}};
          },
      .shape_name = [](const ToyWorkload& w) { return "(n=" + std::to_string(w.n) + ")"; },
      .distribution_name = [](const ToyWorkload&) { return "uniform"; },
      .data = [](const ToyWorkload& w, uint64_t) { return ToyTraits::Data{w.n}; }};
  if (with_preload) spec.preload = [](const ToyWorkload&, uint64_t) { ++preloads; };
  return spec;
}

}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("guard sentinels: a NaN payload for floats, fixed patterns for integers") {
    CHECK(std::bit_cast<uint32_t>(GuardSentinel<float>()) == 0x7FC0DEADu);
    CHECK(std::isnan(GuardSentinel<float>()));
    CHECK(std::isnan(GuardSentinel<double>()));
    CHECK(GuardSentinel<uint32_t>() == 0x7FC0DEADu);
    CHECK(GuardSentinel<uint8_t>() == 0xAD);
    CHECK(GuardSentinel<uint64_t>() == 0xDEADDEADDEADDEADull);
    // Bitwise: another NaN is a write.
    CHECK(IsSentinel(GuardSentinel<float>()));
    CHECK_FALSE(IsSentinel(std::nanf("")));
  }

  TEST_CASE("Misaligned copies sit misalign elements into their allocation") {
    const std::vector<float> src = {1.0f, 2.0f, 3.0f};
    for (size_t misalign : {0, 1, 3}) {
      const Misaligned<float> m(src, misalign);
      CHECK(std::vector<float>(m.data(), m.data() + 3) == src);
      // vector<float> storage is at least 4-byte aligned; the offset is exact.
      CHECK(reinterpret_cast<uintptr_t>(m.data()) % 16 == (4 * misalign) % 16);
    }
    const Misaligned<uint8_t> empty(std::vector<uint8_t>{}, 1);
    CHECK(empty.data() != nullptr);
  }

  TEST_CASE("GuardedOutput names the first written guard element") {
    GuardedOutput<float> out(5, 1);
    CHECK(out.size() == 5);
    for (size_t i = 0; i < 5; ++i) out.data()[i] = 1.0f;
    CHECK_FALSE(out.CheckGuard("table").has_value());
    out.data()[5 + 3] = 2.5f;
    out.data()[5 + 7] = 1.0f;
    std::optional<Mismatch> m = out.CheckGuard("table");
    REQUIRE(m.has_value());
    CHECK(m->field == "table (past the end)");
    CHECK(m->index == 3);
    CHECK(m->expected == "untouched");
    CHECK(m->got == "2.5");
    CHECK(m->rule == "no writes outside the output");

    GuardedOutput<uint32_t> ids(0);
    ids.data()[kGuardElements - 1] = 12345;
    m = ids.CheckGuard("ids");
    REQUIRE(m.has_value());
    CHECK(m->field == "ids (past the end)");
    CHECK(m->index == kGuardElements - 1);
    CHECK(m->got == "12345");

    GuardedOutput<uint8_t> bytes(3, 2);
    bytes.data()[3] = 7;
    m = bytes.CheckGuard("codes");
    REQUIRE(m.has_value());
    CHECK(m->index == 0);
    CHECK(m->got == "7");
  }

  TEST_CASE("CheckOutput checks the guard before the values") {
    const std::vector<float> ref = {1.0f, 2.0f};
    GuardedOutput<float> out(2);
    out.data()[0] = 1.0f;
    out.data()[1] = 3.0f;
    std::optional<Mismatch> m = CheckOutput("d", out, ref);
    REQUIRE(m.has_value());
    CHECK(m->field == "d");
    CHECK(m->index == 1);
    out.data()[2] = 0.0f;
    m = CheckOutput("d", out, ref);
    REQUIRE(m.has_value());
    CHECK(m->field == "d (past the end)");
  }

  TEST_CASE("MakeSlotTarget: description, battery with per-case seeds, kernel target") {
    const Target t = MakeSlotTarget(ToySpec(false), ToyApi{&Double, &TargetA});
    CHECK(t.id == "toy");
    CHECK(t.family == "query");
    CHECK(t.unit == "value");
    CHECK(t.lance_source == "none");
    CHECK(t.summary == "y = 2x");
    CHECK_FALSE(t.test_only);
    CHECK(t.kernel_target() == 1);
    CHECK(t.kernel_api_size == sizeof(ToyApi));
    CHECK(t.kernel_api == nullptr);
    const std::vector<Case> quick = t.battery(5, true);
    REQUIRE(quick.size() == 2);
    CHECK(quick[1].name == "n=17 +1");
    CHECK(t.battery(5, false).size() == 3);
    for (const Case& c : quick) CHECK_FALSE(c.prepare()().has_value());

    const Target bad = MakeSlotTarget(ToySpec(false), ToyApi{&DoubleOverrun, &TargetA});
    const std::optional<Mismatch> m = bad.battery(5, true)[1].prepare()();
    REQUIRE(m.has_value());
    CHECK(m->field == "y (past the end)");
    CHECK(m->index == 1);
  }

  TEST_CASE("MakeSlotTarget: combos run SlotCombo, with the best kernel when given") {
    const Target t = MakeSlotTarget(ToySpec(true), ToyApi{&Double, &TargetA});
    const std::vector<Combo> combos = t.workloads(false, nullptr);
    REQUIRE(combos.size() == 2);
    CHECK(combos[1].shape == "(n=64)");
    CHECK(combos[1].distribution == "uniform");
    REQUIRE(combos[0].preload);
    preloads = 0;
    combos[0].preload(3);
    CHECK(preloads == 1);
    CHECK_FALSE(MakeSlotTarget(ToySpec(false), ToyApi{&Double, &TargetA})
                    .workloads(true, nullptr)[0]
                    .preload);

    const ToyApi best{&CountedDouble, &TargetB};
    std::unique_ptr<ComboState> s = t.workloads(true, &best)[0].make(7);
    CHECK(s->slots() == ToyTraits::kSlots);
    CHECK(s->bytes_per_op() == 64.0);
    best_runs = 0;
    s->Run(Impl::kCandidate, 0);
    s->Run(Impl::kReference, 0);
    s->Run(Impl::kBest, 0);
    CHECK(best_runs == 1);
    CHECK_FALSE(s->Check(0).has_value());
  }

  TEST_CASE("MakeSlotTarget: a variant is the same target around another KernelApi") {
    const Target t = MakeSlotTarget(ToySpec(false), ToyApi{&Double, &TargetA});
    static const ToyApi other{&Double, &TargetB};
    const Target v = t.variant(&other);
    CHECK(v.id == "toy");
    CHECK(v.kernel_api == &other);
    CHECK(v.kernel_target() == 2);
    CHECK(v.battery(5, true).size() == 2);
  }

  TEST_CASE("TestOnly marks a target and replaces its summary") {
    const Target t =
        TestOnly(MakeSlotTarget(ToySpec(false), ToyApi{&Double, &TargetA}), "[zoo] doubles");
    CHECK(t.test_only);
    CHECK(t.summary == "[zoo] doubles");
    CHECK(t.id == "toy");
  }

}  // TEST_SUITE

}  // namespace lar
