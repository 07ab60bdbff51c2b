// bitpack registration: the glue between the harness and the kernel
// contract, built with the target SDK (src/harness/target_sdk.h). One timed
// operation decodes one packed page; outputs compare bitwise, and the memory
// anchor copies the page's output bytes. Immutable for agents.
#include <cstring>

#include "harness/compare.h"
#include "harness/slot_combo.h"
#include "harness/target_sdk.h"
#include "targets/bitpack/bitpack.h"
#include "targets/bitpack/inputs.h"

namespace lar::bitpack {
namespace {

// Calls f with a value of the page's word type.
template <class F>
decltype(auto) WithWord(int bits, F&& f) {
  switch (bits) {
    case 8:
      return f(uint8_t{});
    case 16:
      return f(uint16_t{});
    case 32:
      return f(uint32_t{});
    default:
      return f(uint64_t{});
  }
}

std::optional<Mismatch> CompareWords(const std::string& field, size_t ref, size_t got) {
  if (ref == got) return std::nullopt;
  return Mismatch{field, 0, std::to_string(ref), std::to_string(got), "exact equality"};
}

// One battery case: the reference once (itself checked against the drawn
// values, so a broken packer cannot pass), then per ISA the kernel on a
// misaligned copy of the page into a guarded output.
Checker PrepareCase(const BatteryCase& c, uint64_t seed, const KernelApi& api) {
  SplitMix64 rng(seed);
  const std::vector<uint64_t> values = DrawValues(c.spec, rng);
  auto page = std::make_shared<const Packed>(Pack(c.spec.bits, values));
  return WithWord(c.spec.bits, [&](auto word) -> Checker {
    using T = decltype(word);
    const T* words = page->data<T>();
    auto input = std::make_shared<const std::vector<T>>(words, words + page->words);
    auto want = std::make_shared<std::vector<T>>(c.spec.n);
    const size_t ref_words = ReferenceUnpack<T>()(input->data(), c.spec.n, want->data());
    std::vector<T> drawn(values.begin(), values.end());
    std::optional<Mismatch> broken =
        CompareWords("reference words consumed", page->words, ref_words);
    if (!broken)
      broken = CompareExact("reference vs drawn values", drawn.data(), want->data(), c.spec.n);
    const size_t n = c.spec.n, misalign = c.misalign, total = page->words;
    return [=]() -> std::optional<Mismatch> {
      if (broken) return broken;
      const Misaligned<T> in(*input, misalign);
      GuardedOutput<T> out(n, misalign);
      const size_t used = UnpackOf<T>(api)(in.data(), n, out.data());
      if (auto m = CompareWords("words consumed", total, used)) return m;
      if (auto m = out.CheckGuard("values")) return m;
      return CompareExact("values", want->data(), out.data(), n);
    };
  });
}

// A combo's packed pages, built once (CachedData) and shared by its slots.
struct Pool {
  PageSpec spec;
  std::vector<Packed> pages;
  double packed_bytes = 0.0;  // mean over pages
};

std::shared_ptr<const Pool> BuildPool(const WorkloadSpec& w, uint64_t seed) {
  const std::string key = ShapeName(w) + " " + DistributionName(w) + " " + std::to_string(seed);
  return CachedData<Pool>(key, [&] {
    Pool pool{w, {}, 0.0};
    SplitMix64 rng(DeriveSeed(seed, "pages"));
    for (size_t p = 0; p < kPagesPerCombo; ++p) {
      pool.pages.push_back(Pack(w.bits, DrawValues(w, rng)));
      pool.packed_bytes += static_cast<double>(pool.pages.back().bytes()) / kPagesPerCombo;
    }
    return pool;
  });
}

// Slots rotate through the pool's pages; each kernel writes one output
// buffer (its scratch), so the working set of a 64K-value combo is the
// pages plus two outputs.
struct Traits {
  using Api = KernelApi;
  using Case = BatteryCase;
  using Workload = WorkloadSpec;
  using Data = std::shared_ptr<const Pool>;
  struct Input {
    const Packed* page = nullptr;
  };
  struct Scratch {
    std::vector<uint64_t> out;
  };
  struct Result {
    size_t words = 0;
  };
  struct Source {
    size_t next = 0;
  };
  using PreparedPtr = int;
  static constexpr size_t kSlots = lar::bitpack::kSlots;

  static size_t OutBytes(const Data& d) {
    return d->spec.n * static_cast<size_t>(d->spec.bits) / 8;
  }
  static Source MakeSource(const Data&, uint64_t seed) { return {static_cast<size_t>(seed % 7)}; }
  static Input MakeInput(const Data&) { return {}; }
  static void Draw(const Data& d, Source& s, Input* in) {
    in->page = &d->pages[s.next++ % d->pages.size()];
  }
  static Scratch MakeScratch(const Data& d) { return {std::vector<uint64_t>(OutBytes(d) / 8 + 1)}; }
  static Result MakeResult(const Data&) { return {}; }
  static PreparedPtr Prepare(const Api&, const Data&) { return 0; }
  template <class Unpack>
  static void Run(const Data& d, const Input& in, Scratch& s, Result* r, Unpack unpack) {
    r->words = WithWord(d->spec.bits, [&](auto word) {
      using T = decltype(word);
      return unpack(in.page->data<T>(), d->spec.n, reinterpret_cast<T*>(s.out.data()));
    });
  }
  static void RunKernel(const Api& api, PreparedPtr&, const Data& d, const Input& in, Scratch& s,
                        Result* r) {
    Run(d, in, s, r, [&](const auto* p, size_t n, auto* out) {
      return UnpackOf<std::remove_const_t<std::remove_pointer_t<decltype(p)>>>(api)(p, n, out);
    });
  }
  static void RunReference(const Data& d, const Input& in, Scratch& s, Result* r) {
    Run(d, in, s, r, [&](const auto* p, size_t n, auto* out) {
      return ReferenceUnpack<std::remove_const_t<std::remove_pointer_t<decltype(p)>>>()(p, n, out);
    });
  }
  static std::optional<Mismatch> Check(const Data& d, const Input&, const Result& ref,
                                       const Scratch* ref_scratch, const Result& got,
                                       const Scratch* got_scratch, const std::string& who) {
    if (auto m = CompareWords(who + "words consumed", ref.words, got.words)) return m;
    if (ref_scratch == nullptr || got_scratch == nullptr) return std::nullopt;
    return WithWord(d->spec.bits, [&](auto word) {
      using T = decltype(word);
      return CompareExact(who + "values", reinterpret_cast<const T*>(ref_scratch->out.data()),
                          reinterpret_cast<const T*>(got_scratch->out.data()), d->spec.n);
    });
  }
  static double BytesPerOp(const Data& d) {
    return d->packed_bytes + static_cast<double>(OutBytes(d));
  }
  static size_t CopyOutput(const Data& d, const Input&, const Result&, const Scratch& from,
                           Scratch* to) {
    std::memcpy(to->out.data(), from.out.data(), OutBytes(d));
    return OutBytes(d);
  }
};

}  // namespace

Target MakeTarget(const std::string& id, const KernelApi& api) {
  return MakeSlotTarget<Traits>(
      {.id = id,
       .family = "encoding",
       .unit = "page",
       .lance_source =
           "lance-bitpacking BitPacking::unchecked_unpack (rust/compression/bitpacking/src/lib.rs) "
           "+ InlineBitpacking::unchunk (lance-encoding encodings/physical/bitpacking.rs)",
       .summary = "FastLanes bit unpacking of an InlineBitpacking page (u8..u64, W per chunk)",
       .tolerance = "bitwise equality of every value and of the words consumed",
       .battery = &Battery,
       .prepare_case = &PrepareCase,
       .workloads = &SpeedWorkloads,
       .shape_name = [](const WorkloadSpec& w) { return ShapeName(w); },
       .distribution_name = [](const WorkloadSpec& w) { return DistributionName(w); },
       .data = &BuildPool,
       .preload = [](const WorkloadSpec& w, uint64_t seed) { BuildPool(w, seed); }},
      api);
}

namespace {
const Registrar kRegistrar(MakeTarget("bitpack", ShippedKernel()));
}  // namespace

}  // namespace lar::bitpack
