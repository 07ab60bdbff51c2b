// predicate registration: the glue between the harness and the kernel
// contract. The timed operation is one predicate over one column (an
// 8,192-row batch or a 16M-row scan) into the selection bitmap; outputs
// compare bit for bit, including the zero padding of the last word.
// bytes_per_op is the input (values and validity), so the block's GB/s is
// input bandwidth. Immutable for agents.
#include <cinttypes>
#include <cstdio>
#include <optional>

#include "harness/compare.h"
#include "harness/slot_combo.h"
#include "harness/target_sdk.h"
#include "targets/predicate/inputs.h"
#include "targets/predicate/predicate.h"

namespace lar::predicate {
namespace {

// Bitwise equality of two selection bitmaps of n rows; a difference is
// reported at its row, with both words in hex.
std::optional<Mismatch> CompareBitmaps(const std::string& field, const uint64_t* ref,
                                       const uint64_t* got, size_t n) {
  for (size_t w = 0; w < OutputWords(n); ++w) {
    const uint64_t diff = ref[w] ^ got[w];
    if (diff == 0) continue;
    const size_t row = 64 * w + static_cast<size_t>(__builtin_ctzll(diff));
    char e[64], g[64];
    std::snprintf(e, sizeof(e), "%d (word 0x%016" PRIx64 ")", (ref[w] >> (row % 64)) & 1 ? 1 : 0,
                  ref[w]);
    std::snprintf(g, sizeof(g), "%d (word 0x%016" PRIx64 ")", (got[w] >> (row % 64)) & 1 ? 1 : 0,
                  got[w]);
    return Mismatch{field + (row >= n ? " (padding)" : ""), row, e, g,
                    "bitwise equality (value AND validity; padding bits zero)"};
  }
  return std::nullopt;
}

// A buffer of exactly `bytes` bytes after `lead` bytes, so that a read
// past the end of the column is a heap overflow under ASan.
struct ExactCopy {
  std::vector<uint8_t> storage;
  const uint8_t* data = nullptr;
  ExactCopy(const void* src, size_t bytes, size_t lead) : storage(lead + bytes) {
    if (bytes > 0) std::memcpy(storage.data() + lead, src, bytes);
    data = storage.data() + lead;
  }
};

Checker PrepareCase(const BatteryCase& c, uint64_t seed, const KernelApi& api) {
  auto column = std::make_shared<ColumnData>();
  Predicate predicate;
  DrawCase(c, seed, column.get(), &predicate);
  auto want = std::make_shared<std::vector<uint64_t>>(OutputWords(c.n));
  const Column ref_col{column->values.data(), column->nullable ? column->validity.data() : nullptr,
                       column->validity_offset, c.n};
  reference::Evaluate(ref_col, predicate, want->data());
  const size_t misalign = c.misalign;
  return [=]() -> std::optional<Mismatch> {
    const size_t bytes = TypeBytes(c.type);
    const ExactCopy values(column->values.data(), c.n * bytes, misalign * bytes);
    const ExactCopy validity(column->validity.data(), column->validity.size(), 0);
    GuardedOutput<uint64_t> out(OutputWords(c.n), misalign);
    api.evaluate(
        {values.data, column->nullable ? validity.data : nullptr, column->validity_offset, c.n},
        predicate, out.data());
    if (auto m = out.CheckGuard("selection")) return m;
    return CompareBitmaps("selection", want->data(), out.data(), c.n);
  };
}

struct Traits {
  using Api = KernelApi;
  using Case = BatteryCase;
  using Workload = WorkloadSpec;
  using Data = SpeedData;
  using Input = Slot;
  struct Scratch {};
  using Result = std::vector<uint64_t>;
  using Source = SplitMix64;
  using PreparedPtr = int;  // the kernel keeps no state
  static constexpr size_t kSlots = lar::predicate::kSlots;

  static Source MakeSource(const Data&, uint64_t seed) {
    return SplitMix64(DeriveSeed(seed, "literals"));
  }
  static Input MakeInput(const Data&) { return {}; }
  static void Draw(const Data& d, Source& s, Input* slot) { DrawSlot(d, s, slot); }
  static Scratch MakeScratch(const Data&) { return {}; }
  static Result MakeResult(const Data& d) { return Result(OutputWords(d.spec.n)); }
  static PreparedPtr Prepare(const Api&, const Data&) { return 0; }
  // The slot's batch as an Arrow slice of the column.
  static Column SliceOf(const Data& d, const Input& slot) {
    const ColumnData& c = *d.column;
    const size_t first = slot.batch * d.spec.n;
    return {reinterpret_cast<const uint8_t*>(c.values.data()) + first * TypeBytes(c.type),
            c.nullable ? c.validity.data() : nullptr, c.validity_offset + first, d.spec.n};
  }
  static void RunKernel(const Api& api, PreparedPtr&, const Data& d, const Input& slot, Scratch&,
                        Result* out) {
    api.evaluate(SliceOf(d, slot), slot.predicate, out->data());
  }
  static void RunReference(const Data& d, const Input& slot, Scratch&, Result* out) {
    reference::Evaluate(SliceOf(d, slot), slot.predicate, out->data());
  }
  static std::optional<Mismatch> Check(const Data& d, const Input&, const Result& ref,
                                       const Scratch*, const Result& got, const Scratch*,
                                       const std::string& who) {
    return CompareBitmaps(who + "selection", ref.data(), got.data(), d.spec.n);
  }
  static double BytesPerOp(const Data& d) {
    const double n = static_cast<double>(d.spec.n);
    return n * static_cast<double>(TypeBytes(d.spec.type)) + (d.column->nullable ? n / 8 : 0.0);
  }
};

}  // namespace

Target MakeTarget(const std::string& id, const KernelApi& api) {
  return MakeSlotTarget<Traits>(
      {.id = id,
       .family = "query",
       .unit = "column",
       .lance_source =
           "lance io/exec/filter.rs + filtered_read.rs -> DataFusion BinaryExpr -> arrow-ord "
           "cmp.rs compare_op (eq/neq/lt/lt_eq/gt/gt_eq), BETWEEN as and_kleene; "
           "filter_record_batch (value AND validity)",
       .summary = "column vs literal (i32/i64/f32/f64, 6 ops + between) into a selection bitmap",
       .tolerance = "bitwise equality of the selection bitmap (value AND validity, padding zero)",
       .battery = &Battery,
       .prepare_case = &PrepareCase,
       .workloads = &SpeedWorkloads,
       .shape_name = &ShapeName,
       .distribution_name = &DistributionName,
       .data = [](const WorkloadSpec& w, uint64_t) { return BuildSpeedData(w, true); },
       .preload = [](const WorkloadSpec& w, uint64_t) { BuildSpeedData(w, true); }},
      api);
}

namespace {
const Registrar kRegistrar(MakeTarget("predicate", ShippedKernel()));
}  // namespace

}  // namespace lar::predicate
