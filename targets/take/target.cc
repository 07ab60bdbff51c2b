// take registration: the glue between the harness and the kernel contract,
// built with the target SDK (src/harness/target_sdk.h). One timed operation
// is one take of one column; outputs compare bitwise (outputs.h).
// Immutable for agents.
#include <algorithm>
#include <cstring>

#include "harness/slot_combo.h"
#include "harness/target_sdk.h"
#include "targets/take/inputs.h"
#include "targets/take/outputs.h"
#include "targets/take/take.h"

namespace lar::take {
namespace {

// The kernel on misaligned copies of every input, into guarded outputs.
std::optional<Mismatch> RunMisaligned(const TakeSpec& s, const ValueData& v, const IndexData& ix,
                                      size_t m, size_t total, const OutputView& want,
                                      const KernelApi& api) {
  const size_t align = s.column.binary ? 1 : std::min<size_t>(s.column.width, 8);
  const auto* raw = reinterpret_cast<const uint8_t*>(v.fixed.data());
  const Misaligned<uint8_t> fixed(std::vector<uint8_t>(raw, raw + v.fixed.size() * 8), m * align);
  const Misaligned<uint8_t> bytes(v.bytes, m), vvalid(v.validity, m), ivalid(ix.validity, m);
  const Misaligned<uint32_t> i32(ix.u32, m);
  const Misaligned<uint64_t> i64(ix.u64, m);
  const Misaligned<int32_t> o32(v.off32, m);
  const Misaligned<int64_t> o64(v.off64, m);
  const uint8_t* value_validity = v.validity.empty() ? nullptr : vvalid.data();
  const Indices indices{
      s.index == IndexWidth::k32 ? static_cast<const void*>(i32.data()) : i64.data(), s.index,
      ix.validity.empty() ? nullptr : ivalid.data(), s.n};
  GuardedOutput<uint8_t> validity((s.n + 7) / 8, m);
  uint8_t* valid_out = want.validity != nullptr ? validity.data() : nullptr;
  OutputView got{nullptr, nullptr, nullptr, valid_out, 0};
  std::optional<Mismatch> guard;
  if (s.column.binary) {
    const bool w32 = s.column.offsets == OffsetWidth::k32;
    const BinaryValues values{w32 ? static_cast<const void*>(o32.data()) : o64.data(),
                              s.column.offsets, bytes.data(), s.column.count, value_validity};
    GuardedOutput<uint8_t> offsets((s.n + 1) * OffsetBytes(s.column), m * OffsetBytes(s.column));
    GuardedOutput<uint8_t> data(total, m);
    got.total = api.take_binary(values, indices, offsets.data(), data.data(), valid_out);
    got.offsets = offsets.data();
    got.data = data.data();
    guard = offsets.CheckGuard("offsets");
    if (!guard) guard = data.CheckGuard("bytes");
    if (!guard) guard = validity.CheckGuard("validity");
    return guard ? guard : CompareOutputs(s, want, got, "");
  }
  const FixedValues values{fixed.data(), s.column.width, s.column.count, value_validity};
  GuardedOutput<uint8_t> out(s.n * s.column.width, m * align);
  api.take_fixed(values, indices, out.data(), valid_out);
  got.values = out.data();
  guard = out.CheckGuard("values");
  if (!guard) guard = validity.CheckGuard("validity");
  return guard ? guard : CompareOutputs(s, want, got, "");
}

// One battery case: the reference once, then per ISA the kernel.
Checker PrepareCase(const BatteryCase& c, uint64_t seed, const KernelApi& api) {
  SplitMix64 rng(seed);
  auto v = std::make_shared<const ValueData>(DrawValueData(c.spec.column, rng));
  auto ix = std::make_shared<IndexData>();
  DrawIndices(c.spec, rng, ix.get());
  const bool nulls = !ix->validity.empty() || !v->validity.empty();
  auto want = std::make_shared<Outputs>(MakeOutputs(c.spec, c.spec.n * v->max_len, nulls));
  RunReferenceTake(c.spec, *v, View(c.spec, *ix), want.get());
  const TakeSpec spec = c.spec;
  const size_t misalign = c.misalign;
  return [=]() -> std::optional<Mismatch> {
    return RunMisaligned(spec, *v, *ix, misalign, want->total, ViewOf(*want), api);
  };
}

struct Traits {
  using Api = KernelApi;
  using Case = BatteryCase;
  using Workload = WorkloadSpec;
  struct Data {
    TakeSpec spec;
    std::shared_ptr<const ValueData> values;  // built once per combo (CachedData)
  };
  using Input = IndexData;
  using Scratch = Outputs;
  struct Result {
    size_t total = 0;
  };
  using Source = SplitMix64;
  using PreparedPtr = int;
  static constexpr size_t kSlots = lar::take::kSlots;

  static Source MakeSource(const Data&, uint64_t seed) {
    return SplitMix64(DeriveSeed(seed, "indices"));
  }
  static Input MakeInput(const Data&) { return {}; }
  static void Draw(const Data& d, Source& s, Input* in) { DrawIndices(d.spec, s, in); }
  static Scratch MakeScratch(const Data& d) {
    return MakeOutputs(d.spec, d.spec.n * d.values->max_len, d.spec.nulls || d.spec.column.nulls);
  }
  static Result MakeResult(const Data&) { return {}; }
  static PreparedPtr Prepare(const Api&, const Data&) { return 0; }
  static void RunKernel(const Api& api, PreparedPtr&, const Data& d, const Input& in, Scratch& s,
                        Result* r) {
    RunTake(d.spec, *d.values, View(d.spec, in), &s, api);
    r->total = s.total;
  }
  static void RunReference(const Data& d, const Input& in, Scratch& s, Result* r) {
    RunReferenceTake(d.spec, *d.values, View(d.spec, in), &s);
    r->total = s.total;
  }
  static std::optional<Mismatch> Check(const Data& d, const Input&, const Result& ref,
                                       const Scratch* ref_scratch, const Result& got,
                                       const Scratch* got_scratch, const std::string& who) {
    if (ref.total != got.total) {
      return Mismatch{who + "total bytes", 0, std::to_string(ref.total), std::to_string(got.total),
                      "exact equality"};
    }
    if (ref_scratch == nullptr || got_scratch == nullptr) return std::nullopt;
    return CompareOutputs(d.spec, ViewOf(*ref_scratch), ViewOf(*got_scratch), who);
  }
  // In: the indices and what they address (values; or two offsets and the
  // bytes of each string). Out: the values, or the offsets and the bytes.
  static double BytesPerOp(const Data& d) {
    const double n = static_cast<double>(d.spec.n);
    const double w = static_cast<double>(d.spec.column.width);
    const double idx = d.spec.index == IndexWidth::k32 ? 4.0 : 8.0;
    if (!d.spec.column.binary) return n * (idx + 2.0 * w);
    const double ob = static_cast<double>(OffsetBytes(d.spec.column));
    const double len = static_cast<double>(d.spec.column.avg_len);
    return n * (idx + 2.0 * ob + len) + (n + 1) * ob + n * len;
  }
  static size_t CopyOutput(const Data& d, const Input&, const Result& ref, const Scratch& from,
                           Scratch* to) {
    size_t bytes = 0;
    auto copy = [&](void* dst, const void* src, size_t len) {
      std::memcpy(dst, src, len);
      bytes += len;
    };
    if (d.spec.column.binary) {
      copy(to->offsets.data(), from.offsets.data(), (d.spec.n + 1) * OffsetBytes(d.spec.column));
      copy(to->data.data(), from.data.data(), ref.total);
    } else {
      copy(to->values.data(), from.values.data(), d.spec.n * d.spec.column.width);
    }
    if (!from.validity.empty()) {
      copy(to->validity.data(), from.validity.data(), from.validity.size());
    }
    return bytes;
  }
};

Traits::Data BuildData(const WorkloadSpec& w, uint64_t seed) {
  const std::string key = ShapeName(w) + " " + DistributionName(w) + " " + std::to_string(seed);
  return {w, CachedData<ValueData>(key, [&] {
            SplitMix64 rng(DeriveSeed(seed, "values"));
            return DrawValueData(w.column, rng);
          })};
}

}  // namespace

Target MakeTarget(const std::string& id, const KernelApi& api) {
  return MakeSlotTarget<Traits>(
      {.id = id,
       .family = "encoding",
       .unit = "take",
       .lance_source =
           "arrow-select take.rs (take_native, take_bytes, take_fixed_size_list) as lance-arrow "
           "RecordBatchExt::take and dataset/take.rs take_struct_array call it",
       .summary = "Arrow take of fixed-width values, 512-byte rows and strings by u32/u64 "
                  "indices, with nulls",
       .tolerance = "bitwise equality of validity, offsets and bytes; null slots by validity only",
       .battery = &Battery,
       .prepare_case = &PrepareCase,
       .workloads = &SpeedWorkloads,
       .shape_name = [](const WorkloadSpec& w) { return ShapeName(w); },
       .distribution_name = [](const WorkloadSpec& w) { return DistributionName(w); },
       .data = &BuildData,
       .preload = [](const WorkloadSpec& w, uint64_t seed) { BuildData(w, seed); }},
      api);
}

namespace {
const Registrar kRegistrar(MakeTarget("take", ShippedKernel()));
}  // namespace

}  // namespace lar::take
