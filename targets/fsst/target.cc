// fsst registration: the glue between the harness and the kernel contract,
// built with the target SDK (src/harness/target_sdk.h). One timed operation
// decodes one page: its ~4 KiB chunks in order, or the page in one call.
// Outputs compare bitwise (bytes, offsets, totals). Immutable for agents.
#include <algorithm>
#include <cstring>

#include "harness/slot_combo.h"
#include "harness/target_sdk.h"
#include "targets/fsst/fsst.h"
#include "targets/fsst/inputs.h"
#include "targets/fsst/outputs.h"

namespace lar::fsst {
namespace {

// A battery case: the encoded strings, offsets shifted by the case's base
// (junk codes before them), and Lance's decoder's answer.
struct CaseData {
  Encoded enc;
  std::vector<int32_t> off32;
  std::vector<int64_t> off64;
  std::vector<uint8_t> want;      // decoded bytes
  std::vector<uint8_t> want_off;  // decoded offsets, raw
  size_t total = 0;
};

Checker PrepareCase(const BatteryCase& c, uint64_t seed, const KernelApi& api) {
  SplitMix64 rng(seed);
  Strings strings = DrawStrings(c.text, c.bytes, c.min_count, rng);
  if (c.all_empty) strings = {{}, std::vector<int64_t>(c.min_count + 1, 0)};
  auto d = std::make_shared<CaseData>();
  d->enc = Encode(strings, c.max_symbols, c.switch_on);
  std::vector<uint8_t> junk(c.offset_base, 0xEE);
  d->enc.codes.insert(d->enc.codes.begin(), junk.begin(), junk.end());
  for (int64_t o : d->enc.offsets) {
    d->off32.push_back(static_cast<int32_t>(o + static_cast<int64_t>(c.offset_base)));
    d->off64.push_back(o + static_cast<int64_t>(c.offset_base));
  }
  const size_t n = strings.size(), ob = OffsetBytes(c.width);
  const bool w32 = c.width == OffsetWidth::k32;
  const Compressed in{d->enc.table.data(),
                      d->enc.codes.data(),
                      d->enc.codes.size(),
                      w32 ? static_cast<const void*>(d->off32.data()) : d->off64.data(),
                      c.width,
                      n};
  d->want.resize(reference::RequiredOutput(in) + 8);
  d->want_off.resize((n + 1) * ob);
  d->total = reference::Decompress(in, d->want.data(), d->want_off.data());
  // Lance's decoder must give back the strings: a broken encoder cannot pass.
  std::optional<Mismatch> broken;
  if (c.switch_on) {
    std::vector<uint8_t> expect_off((n + 1) * ob);
    for (size_t i = 0; i <= n; ++i) {
      std::memcpy(expect_off.data() + i * ob, &strings.offsets[i], ob);  // little-endian
    }
    broken = Compare(strings.bytes.size(), d->total, expect_off.data(), d->want_off.data(), n + 1,
                     ob, strings.bytes.data(), d->want.data(), "reference vs drawn strings: ");
  }
  const size_t m = c.misalign;
  const OffsetWidth width = c.width;
  return [=]() -> std::optional<Mismatch> {
    if (broken) return broken;
    const Misaligned<uint8_t> table(d->enc.table, m), codes(d->enc.codes, m);
    const Misaligned<int32_t> o32(d->off32, m);
    const Misaligned<int64_t> o64(d->off64, m);
    const Compressed mi{
        table.data(),
        codes.data(),
        d->enc.codes.size(),
        width == OffsetWidth::k32 ? static_cast<const void*>(o32.data()) : o64.data(),
        width,
        n};
    GuardedOutput<uint8_t> out(d->total, m), off((n + 1) * ob, m * ob);
    const size_t total = api.decompress(mi, out.data(), d->total, off.data());
    if (auto g = out.CheckGuard("bytes")) return g;
    if (auto g = off.CheckGuard("offsets")) return g;
    return Compare(d->total, total, d->want_off.data(), off.data(), n + 1, ob, d->want.data(),
                   out.data(), "");
  };
}

// A combo's pages, built once (CachedData) and shared by its slots.
std::shared_ptr<const Pool> CachedPool(const WorkloadSpec& w, uint64_t seed) {
  const std::string key = ShapeName(w) + " " + DistributionName(w) + " " + std::to_string(seed);
  return CachedData<Pool>(key,
                          [&] { return BuildPool(w, DeriveSeed(seed, "pages"), kPagesPerCombo); });
}

// Slots rotate through the pool's pages. The kernel gets each chunk's exact
// output size as its capacity; the reference's buffer has the slack Lance's
// 8-byte stores need (the largest chunk's 8 x codes).
struct Traits {
  using Api = KernelApi;
  using Case = BatteryCase;
  using Workload = WorkloadSpec;
  using Data = std::shared_ptr<const Pool>;
  struct Input {
    const Page* page = nullptr;
  };
  struct Scratch {
    std::vector<uint8_t> out;
    std::vector<int64_t> offsets;  // each chunk's n + 1, back to back
  };
  struct Result {
    size_t total = 0;
  };
  struct Source {
    size_t next = 0;
  };
  using PreparedPtr = int;
  static constexpr size_t kSlots = lar::fsst::kSlots;

  static size_t OffsetCount(const Page& p) { return p.strings + p.chunks.size(); }
  static Source MakeSource(const Data&, uint64_t seed) { return {static_cast<size_t>(seed % 5)}; }
  static Input MakeInput(const Data&) { return {}; }
  static void Draw(const Data& d, Source& s, Input* in) {
    in->page = &d->pages[s.next++ % d->pages.size()];
  }
  static Scratch MakeScratch(const Data& d) {
    return {std::vector<uint8_t>(d->max_decoded + d->slack),
            std::vector<int64_t>(d->max_strings + d->max_chunks + 1)};
  }
  static Result MakeResult(const Data&) { return {}; }
  static PreparedPtr Prepare(const Api&, const Data&) { return 0; }
  // The page's chunks in order, each into the next part of the output.
  template <class Decode>
  static size_t DecodePage(const Page& p, Scratch& s, Decode decode) {
    const size_t ob = OffsetBytes(p.spec.width);
    auto* offsets = reinterpret_cast<uint8_t*>(s.offsets.data());
    size_t pos = 0;
    for (size_t c = 0; c < p.chunks.size(); ++c) {
      const Chunk& k = p.chunks[c];
      pos += decode(p.Call(c), s.out.data() + pos, k.decoded, offsets + (k.first + c) * ob);
    }
    return pos;
  }
  static void RunKernel(const Api& api, PreparedPtr&, const Data&, const Input& in, Scratch& s,
                        Result* r) {
    r->total = DecodePage(*in.page, s, api.decompress);
  }
  static void RunReference(const Data&, const Input& in, Scratch& s, Result* r) {
    r->total = DecodePage(*in.page, s, [](const Compressed& c, uint8_t* out, size_t, void* off) {
      return reference::Decompress(c, out, off);
    });
  }
  static std::optional<Mismatch> Check(const Data&, const Input& in, const Result& ref,
                                       const Scratch* rs, const Result& got, const Scratch* gs,
                                       const std::string& who) {
    if (rs == nullptr || gs == nullptr) {  // the totals only
      if (ref.total == got.total) return std::nullopt;
      return Compare(ref.total, got.total, nullptr, nullptr, 0, 0, nullptr, nullptr, who);
    }
    return Compare(ref.total, got.total, reinterpret_cast<const uint8_t*>(rs->offsets.data()),
                   reinterpret_cast<const uint8_t*>(gs->offsets.data()), OffsetCount(*in.page),
                   OffsetBytes(in.page->spec.width), rs->out.data(), gs->out.data(), who);
  }
  // In: the codes and their offsets; out: the bytes and their offsets.
  static double BytesPerOp(const Data& d) {
    const Page& p = d->pages[0];
    const double offsets = static_cast<double>(OffsetCount(p) * OffsetBytes(p.spec.width));
    return static_cast<double>(p.enc.codes.size() + p.decoded) + 2.0 * offsets;
  }
  static size_t CopyOutput(const Data&, const Input& in, const Result& ref, const Scratch& from,
                           Scratch* to) {
    const size_t offsets = OffsetCount(*in.page) * OffsetBytes(in.page->spec.width);
    std::memcpy(to->out.data(), from.out.data(), ref.total);
    std::memcpy(to->offsets.data(), from.offsets.data(), offsets);
    return ref.total + offsets;
  }
};

}  // namespace

Target MakeTarget(const std::string& id, const KernelApi& api) {
  return MakeSlotTarget<Traits>(
      {.id = id,
       .family = "encoding",
       .unit = "page",
       .lance_source = "fsst.rs decompress (FsstDecoder::init + decompress_bulk) as "
                       "FsstMiniBlockDecompressor calls it per ~4 KiB chunk",
       .summary = "FSST string decompression of a page (2312-byte table, escapes, i32/i64 offsets)",
       .tolerance = "bitwise equality of the bytes, the offsets and the totals",
       .battery = &Battery,
       .prepare_case = &PrepareCase,
       .workloads = &SpeedWorkloads,
       .shape_name = [](const WorkloadSpec& w) { return ShapeName(w); },
       .distribution_name = [](const WorkloadSpec& w) { return DistributionName(w); },
       .data = &CachedPool,
       .preload = [](const WorkloadSpec& w, uint64_t seed) { CachedPool(w, seed); }},
      api);
}

namespace {
const Registrar kRegistrar(MakeTarget("fsst", ShippedKernel()));
}  // namespace

}  // namespace lar::fsst
