// posting-seek registration: the glue between the harness and the kernel
// contract. The timed operation replays one batch of 32 cursor calls (and
// the resets between them) from the reference cursor's state at the batch
// start, with an empty block cache; batches rotate through the slots.
// After every call the observable state must equal the reference's: (a)
// the returned doc and the position; (b) index, block_idx and, after a
// next, the cached doc and freq at the cursor. Immutable for agents.
#include <cinttypes>
#include <cstdio>
#include <optional>

#include "harness/compare.h"
#include "harness/slot_combo.h"
#include "harness/target_sdk.h"
#include "targets/posting-seek/inputs.h"
#include "targets/posting-seek/posting_seek.h"

namespace lar::posting_seek {
namespace {

std::string Describe(const Observation& o) {
  char buf[128];
  std::snprintf(buf, sizeof(buf),
                "(index %" PRIu64 ", block %" PRIu64 ", doc %" PRId64 ", freq %" PRIu32 ")",
                o.index, o.block_idx, o.doc, o.freq);
  return buf;
}

std::optional<Mismatch> CompareCalls(const std::string& who, const Observation* ref,
                                     const Observation* got, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (!(ref[i] == got[i])) {
      return Mismatch{who + "cursor after call", i, Describe(ref[i]), Describe(got[i]),
                      "exact (index, block_idx, doc, freq) after every call"};
    }
  }
  return std::nullopt;
}

// Cursors on the heap: a LanceCursor holds two 512-byte blocks.
struct Cursors {
  std::unique_ptr<PlainCursor> plain = std::make_unique<PlainCursor>();
  std::unique_ptr<LanceCursor> lance = std::make_unique<LanceCursor>();
};

Checker PrepareCase(const BatteryCase& c, uint64_t seed, const KernelApi& api) {
  auto p = std::make_shared<Problem>(DrawCase(c, seed));
  auto want = std::make_shared<std::vector<Observation>>(p->ops.size());
  {
    Cursors cur;
    Replay(p->list, p->ops, 0, p->ops.size(), 0, 0, ReferenceApi(), cur.plain.get(),
           cur.lance.get(), want->data());
  }
  return [=]() -> std::optional<Mismatch> {
    // The list's bytes in an allocation of their exact size: a read past
    // the last block is a heap overflow under ASan.
    ListData list = p->list;
    list.bytes.shrink_to_fit();
    Cursors cur;
    std::vector<Observation> got(p->ops.size());
    Replay(list, p->ops, 0, p->ops.size(), 0, 0, api, cur.plain.get(), cur.lance.get(), got.data());
    return CompareCalls("", want->data(), got.data(), got.size());
  };
}

struct Traits {
  using Api = KernelApi;
  using Case = BatteryCase;
  using Workload = WorkloadSpec;
  struct Data {
    std::shared_ptr<const SpeedData> data;
  };
  using Input = size_t;  // a batch
  using Scratch = Cursors;
  struct Result {
    std::vector<Observation> calls;
    size_t n = 0;
  };
  using Source = SplitMix64;
  using PreparedPtr = int;  // the cursor is the only state
  static constexpr size_t kSlots = lar::posting_seek::kSlots;

  static Source MakeSource(const Data&, uint64_t seed) {
    return SplitMix64(DeriveSeed(seed, "batches"));
  }
  static Input MakeInput(const Data&) { return 0; }
  static void Draw(const Data& d, Source& s, Input* b) { *b = s.Below(d.data->batches.size()); }
  static Scratch MakeScratch(const Data&) { return {}; }
  static Result MakeResult(const Data& d) {
    size_t most = 0;
    for (const Batch& b : d.data->batches) most = std::max(most, b.last - b.first);
    return {std::vector<Observation>(most), 0};
  }
  static PreparedPtr Prepare(const Api&, const Data&) { return 0; }
  static void Run(const Api& api, const Data& d, size_t i, Scratch& s, Result* r) {
    const Batch& b = d.data->batches[i];
    Replay(*d.data->list, d.data->ops, b.first, b.last, b.index, b.block_idx, api, s.plain.get(),
           s.lance.get(), r->calls.data());
    r->n = b.last - b.first;
  }
  static void RunKernel(const Api& api, PreparedPtr&, const Data& d, const Input& i, Scratch& s,
                        Result* r) {
    Run(api, d, i, s, r);
  }
  static void RunReference(const Data& d, const Input& i, Scratch& s, Result* r) {
    Run(ReferenceApi(), d, i, s, r);
  }
  static std::optional<Mismatch> Check(const Data&, const Input&, const Result& ref, const Scratch*,
                                       const Result& got, const Scratch*, const std::string& who) {
    if (ref.n != got.n) {
      return Mismatch{who + "calls", 0, std::to_string(ref.n), std::to_string(got.n),
                      "exact equality"};
    }
    return CompareCalls(who, ref.calls.data(), got.calls.data(), ref.n);
  }
  static double BytesPerOp(const Data&) { return 0.0; }
};

}  // namespace

Target MakeTarget(const std::string& id, const KernelApi& api) {
  return MakeSlotTarget<Traits>(
      {.id = id,
       .family = "query",
       .unit = "batch",
       .lance_source =
           "lance-index scalar/inverted/wand.rs PostingIterator::next + shallow_next over "
           "CompressedPostingList (BitPacker4x blocks); lance-autoresearch crates/posting-seek",
       .summary = "32 cursor seeks (next / shallow_next) over posting lists, decode included",
       .tolerance = "exact equality of (index, block_idx, doc, freq) after every call",
       .battery = &Battery,
       .prepare_case = &PrepareCase,
       .workloads = &SpeedWorkloads,
       .shape_name = &ShapeName,
       .distribution_name = [](const WorkloadSpec& w) { return PatternName(w.pattern); },
       .data = [](const WorkloadSpec& w, uint64_t) -> Traits::Data { return {BuildSpeedData(w)}; },
       .preload = [](const WorkloadSpec& w, uint64_t) { BuildSpeedData(w); }},
      api);
}

namespace {
const Registrar kRegistrar(MakeTarget("posting-seek", ShippedKernel()));
}  // namespace

}  // namespace lar::posting_seek
