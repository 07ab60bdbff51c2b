// dictionary registration: the glue between the harness and the kernel
// contract, built with the target SDK (src/harness/target_sdk.h). One timed
// operation decodes one page of indices; outputs compare bitwise (values,
// or the total, offsets and bytes). Immutable for agents.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "harness/slot_combo.h"
#include "harness/target_sdk.h"
#include "targets/dictionary/dictionary.h"
#include "targets/dictionary/inputs.h"
#include "targets/dictionary/outputs.h"

namespace lar::dictionary {
namespace {

// One battery case: the reference once, then per ISA the kernel on
// misaligned copies of every input into guarded outputs.
Checker PrepareCase(const BatteryCase& c, uint64_t seed, const KernelApi& api) {
  SplitMix64 rng(seed);
  auto d = std::make_shared<const DictData>(DrawDictionary(c.spec, rng));
  auto ix = std::make_shared<IndexData>();
  DrawIndices(c.spec, rng, ix.get());
  auto want = std::make_shared<Outputs>(c.spec, d->max_len);
  RunReferenceInto(c.spec, *d, *ix, want.get());
  const DictSpec s = c.spec;
  const size_t m = c.misalign;
  return [=]() -> std::optional<Mismatch> {
    const auto* raw = reinterpret_cast<const uint8_t*>(d->fixed.data());
    const Misaligned<uint8_t> fixed(std::vector<uint8_t>(raw, raw + d->fixed.size() * 8),
                                    m * std::min<size_t>(s.width, 8));
    const Misaligned<uint32_t> o32(d->off32, m);
    const Misaligned<uint64_t> o64(d->off64, m);
    const Misaligned<uint8_t> bytes(d->bytes, m), i8(ix->u8, m);
    const Misaligned<uint16_t> i16(ix->u16, m);
    const Misaligned<uint32_t> i32(ix->u32, m);
    const std::vector<uint32_t> packed_words(ix->packed.data<uint32_t>(),
                                             ix->packed.data<uint32_t>() + ix->packed.words);
    const Misaligned<uint32_t> packed(packed_words, m);
    const FixedDictionary fd{fixed.data(), s.width, s.cardinality};
    const BinaryDictionary bd{
        s.offsets == OffsetWidth::k32 ? static_cast<const void*>(o32.data()) : o64.data(),
        s.offsets, bytes.data(), s.cardinality};
    const void* idx = s.index == IndexWidth::k8    ? static_cast<const void*>(i8.data())
                      : s.index == IndexWidth::k16 ? static_cast<const void*>(i16.data())
                                                   : i32.data();
    const DictIndices di{idx, s.index, s.n};
    GuardedOutput<uint8_t> values(s.kind == Kind::kBinary ? 0 : s.n * s.width,
                                  m * std::min<size_t>(s.width, 8));  // element-aligned
    GuardedOutput<uint8_t> offsets(s.kind == Kind::kBinary ? (s.n + 1) * OffsetBytes(s) : 0,
                                   m * OffsetBytes(s));
    GuardedOutput<uint8_t> data(want->total, m);
    size_t total = 0;
    if (s.kind == Kind::kFixed) api.decode_fixed(fd, di, values.data());
    if (s.kind == Kind::kPacked) api.decode_packed_fixed(fd, packed.data(), s.n, values.data());
    if (s.kind == Kind::kBinary) total = api.decode_binary(bd, di, offsets.data(), data.data());
    for (const auto* g : {&values, &offsets, &data}) {
      if (auto mm = g->CheckGuard(g == &values ? "values" : g == &offsets ? "offsets" : "bytes")) {
        return mm;
      }
    }
    return Compare(s, want->values.data(), want->offsets.data(), want->data.data(), want->total,
                   values.data(), offsets.data(), data.data(), total, "");
  };
}

struct Traits {
  using Api = KernelApi;
  using Case = BatteryCase;
  using Workload = WorkloadSpec;
  struct Data {
    DictSpec spec;
    std::shared_ptr<const DictData> dict;  // built once per combo (CachedData)
  };
  using Input = IndexData;
  using Scratch = Outputs;
  struct Result {
    size_t total = 0;
  };
  using Source = SplitMix64;
  using PreparedPtr = int;
  static constexpr size_t kSlots = lar::dictionary::kSlots;

  static Source MakeSource(const Data&, uint64_t seed) {
    return SplitMix64(DeriveSeed(seed, "indices"));
  }
  static Input MakeInput(const Data&) { return {}; }
  static void Draw(const Data& d, Source& s, Input* in) { DrawIndices(d.spec, s, in); }
  static Scratch MakeScratch(const Data& d) { return Outputs(d.spec, d.dict->max_len); }
  static Result MakeResult(const Data&) { return {}; }
  static PreparedPtr Prepare(const Api&, const Data&) { return 0; }
  static void RunKernel(const Api& api, PreparedPtr&, const Data& d, const Input& in, Scratch& o,
                        Result* r) {
    RunKernelInto(api, d.spec, *d.dict, in, &o);
    r->total = o.total;
  }
  static void RunReference(const Data& d, const Input& in, Scratch& o, Result* r) {
    RunReferenceInto(d.spec, *d.dict, in, &o);
    r->total = o.total;
  }
  static std::optional<Mismatch> Check(const Data& d, const Input&, const Result& ref,
                                       const Scratch* rs, const Result& got, const Scratch* gs,
                                       const std::string& who) {
    if (ref.total != got.total) {
      return Mismatch{who + "total bytes", 0, std::to_string(ref.total), std::to_string(got.total),
                      "exact equality"};
    }
    if (rs == nullptr || gs == nullptr) return std::nullopt;
    return Compare(d.spec, rs->values.data(), rs->offsets.data(), rs->data.data(), rs->total,
                   gs->values.data(), gs->offsets.data(), gs->data.data(), gs->total, who);
  }
  // In: the indices (or the packed page) and the values they name; out:
  // the values, or the offsets and the bytes.
  static double OutputBytes(const Data& d) {
    const double n = static_cast<double>(d.spec.n);
    if (d.spec.kind != Kind::kBinary) return n * static_cast<double>(d.spec.width);
    return (n + 1) * static_cast<double>(OffsetBytes(d.spec)) +
           n * static_cast<double>(d.spec.avg_len);
  }
  static double BytesPerOp(const Data& d) {
    const double n = static_cast<double>(d.spec.n);
    const double idx = d.spec.kind == Kind::kPacked
                           ? std::ceil(std::log2(static_cast<double>(d.spec.cardinality))) / 8.0
                           : static_cast<double>(IndexBytes(d.spec));
    const double read =
        d.spec.kind == Kind::kBinary
            ? 2.0 * static_cast<double>(OffsetBytes(d.spec)) + static_cast<double>(d.spec.avg_len)
            : static_cast<double>(d.spec.width);
    return n * (idx + read) + OutputBytes(d);
  }
  static size_t CopyOutput(const Data& d, const Input&, const Result& ref, const Scratch& from,
                           Scratch* to) {
    if (d.spec.kind != Kind::kBinary) {
      std::memcpy(to->values.data(), from.values.data(), d.spec.n * d.spec.width);
      return d.spec.n * d.spec.width;
    }
    const size_t ob = (d.spec.n + 1) * OffsetBytes(d.spec);
    std::memcpy(to->offsets.data(), from.offsets.data(), ob);
    std::memcpy(to->data.data(), from.data.data(), ref.total);
    return ob + ref.total;
  }
};

Traits::Data BuildData(const WorkloadSpec& w, uint64_t seed) {
  const std::string key = ShapeName(w) + " " + DistributionName(w) + " " + std::to_string(seed);
  return {w, CachedData<DictData>(key, [&] {
            SplitMix64 rng(DeriveSeed(seed, "dictionary"));
            return DrawDictionary(w, rng);
          })};
}

}  // namespace

Target MakeTarget(const std::string& id, const KernelApi& api) {
  return MakeSlotTarget<Traits>(
      {.id = id,
       .family = "encoding",
       .unit = "page",
       .lance_source =
           "lance-encoding data.rs DictionaryDataBlock::decode (DataBlockBuilder::append "
           "per index); fused with InlineBitpacking indices",
       .summary = "dictionary decode: 4/8/16-byte values or strings by u8/u16/u32 (or bit-packed) "
                  "indices",
       .tolerance = "bitwise equality of the values, or of the offsets and bytes",
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
const Registrar kRegistrar(MakeTarget("dictionary", ShippedKernel()));
}  // namespace

}  // namespace lar::dictionary
