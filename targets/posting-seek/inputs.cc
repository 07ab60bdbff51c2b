// posting-seek workload and battery generators. (a) re-implements the Rust
// workspace's generator (crates/posting-seek/src/inputs.rs): its lists and
// op sequences involve no randomness, so they are the same, call for call.
#include "targets/posting-seek/inputs.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "data/fts_corpus.h"
#include "harness/slot_combo.h"

namespace lar::posting_seek {
namespace {

// ---- Lance's byte format --------------------------------------------------

int BitWidth(uint32_t v) { return v == 0 ? 0 : 32 - __builtin_clz(v); }

void PutU32(std::vector<uint8_t>* out, uint32_t v) {
  uint8_t b[4];
  std::memcpy(b, &v, 4);
  out->insert(out->end(), b, b + 4);
}

void PutVarint(std::vector<uint8_t>* out, uint32_t v) {
  for (; v >= 0x80; v >>= 7) out->push_back(static_cast<uint8_t>(v | 0x80));
  out->push_back(static_cast<uint8_t>(v));
}

// BitPacker4x: value i is the (i / 4)-th value of lane i % 4; lanes are
// packed LSB-first into 32-bit words, word w of lane l stored as u32 4w + l.
void Pack(const uint32_t* values, int bits, std::vector<uint8_t>* out) {
  std::vector<uint32_t> words(4 * static_cast<size_t>(bits), 0);
  for (size_t i = 0; i < kBlockSize && bits > 0; ++i) {
    const size_t lane = i % 4, bit = (i / 4) * static_cast<size_t>(bits);
    const size_t word = bit / 32, shift = bit % 32;
    words[4 * word + lane] |= values[i] << shift;
    if (shift + static_cast<size_t>(bits) > 32) {
      words[4 * (word + 1) + lane] |= values[i] >> (32 - shift);
    }
  }
  for (uint32_t w : words) PutU32(out, w);
}

// The max-score field the cursor never reads: any f32.
void PutScore(std::vector<uint8_t>* out, size_t block) {
  const float score = 1.0f + static_cast<float>(block % 7);
  uint32_t bits;
  std::memcpy(&bits, &score, 4);
  PutU32(out, bits);
}

// ---- The workspace's synthetic lists and sequences -------------------------

constexpr uint32_t kStride = 2 * kBlockSize;

ListData PlainListOf(size_t num_blocks) {
  ListData l;
  l.num_blocks = num_blocks;
  for (size_t k = 0; k < num_blocks; ++k) {
    const auto base = static_cast<uint32_t>(k) * kStride;
    l.first_docs.push_back(base);
    for (uint32_t i = 0; i < kBlockSize; ++i) l.docs.push_back(base + 2 * i);
  }
  l.freqs.assign(l.docs.size(), 1);
  return l;
}

uint32_t SaturatingAdd(uint32_t a, uint32_t b) { return a > UINT32_MAX - b ? UINT32_MAX : a + b; }

std::vector<Op> RustSpeedOps(size_t num_blocks, Pattern p) {
  const uint32_t max_id =
      static_cast<uint32_t>(std::min<uint64_t>(uint64_t{num_blocks} * kStride, UINT32_MAX));
  const uint32_t step = p == Pattern::kSequential    ? kStride
                        : p == Pattern::kSkipShallow ? 16 * kStride
                                                     : std::max(max_id / 10, kStride);
  std::vector<Op> ops;
  uint32_t target = 0;
  for (size_t seeks = 0; seeks < 1024; ++seeks) {
    target = SaturatingAdd(target, step);
    if (target >= max_id) {
      ops.push_back({OpKind::kReset, 0});
      target = step;
    }
    ops.push_back({OpKind::kNext, target});
  }
  return ops;
}

std::vector<Op> RustEdgeOps(size_t num_blocks, int edge) {
  const uint32_t max_id = static_cast<uint32_t>(num_blocks) * kStride;
  std::vector<Op> ops;
  auto seek = [&](uint32_t id) { ops.push_back({OpKind::kNext, id}); };
  auto reset = [&] { ops.push_back({OpKind::kReset, 0}); };
  switch (edge) {
    case 0:  // sequential
      for (uint32_t i = 1; i <= 8; ++i) seek(i * kStride / 2);
      break;
    case 1:  // skip_shallow
      for (uint32_t i = 1; i <= 8; ++i) seek(i * 16 * kStride / 4);
      break;
    case 2:  // skip_deep
      for (uint32_t i = 0; i < 4; ++i) {
        reset();
        seek(max_id / 2 + i * kStride);
      }
      break;
    case 3:  // past_end
      seek(max_id);
      seek(SaturatingAdd(max_id, 1'000'000));
      reset();
      seek(UINT32_MAX);
      break;
    default:  // before_start
      seek(0);
      seek(1);
      seek(kStride / 4);
      reset();
      seek(0);
      break;
  }
  return ops;
}

// ---- Lance-like lists and WAND-like traces ---------------------------------

// Blocks a WAND call moves: modal 0-3 (block-max skipping leaves real
// calls 1-3 blocks ahead, query.md s3.2), a heavy tail up to a tenth of the
// list.
size_t DrawBlockDistance(SplitMix64& rng, size_t blocks) {
  const double u = rng.Uniform01();
  if (u < 0.40) return 0;
  if (u < 0.65) return 1;
  if (u < 0.80) return 2;
  if (u < 0.88) return 3;
  const double tail = 4.0 * (std::pow(1.0 - rng.Uniform01(), -1.0 / 1.2) - 1.0);
  return 4 + std::min(static_cast<size_t>(tail), blocks / 10);
}

// A target near posting p: the doc itself or just after its predecessor.
uint32_t TargetAt(const std::vector<uint32_t>& docs, size_t p, SplitMix64& rng) {
  if (p >= docs.size()) return docs.back() == UINT32_MAX ? UINT32_MAX : docs.back() + 1;
  if (p == 0 || rng.Below(2) == 0) return docs[p];
  return docs[p - 1] + 1;
}

void Apply(const ListData& l, const Op& op, LanceCursor* c) {
  if (op.kind == OpKind::kReset) {
    c->index = c->block_idx = 0;
    c->cached = kNoBlock;
  } else if (op.kind == OpKind::kNext) {
    reference::LanceNext(*c, l.Lance(), op.least_id);
  } else {
    reference::LanceShallowNext(*c, l.Lance(), op.least_id);
  }
}

std::vector<Op> WandTrace(const ListData& l, size_t calls, SplitMix64& rng) {
  const size_t blocks = NumBlocks(l.Lance());
  auto c = std::make_unique<LanceCursor>();
  std::vector<Op> ops;
  while (ops.size() < calls) {
    if (c->index >= l.docs.size()) {
      ops.push_back({OpKind::kReset, 0});
      Apply(l, ops.back(), c.get());
    }
    const size_t d = DrawBlockDistance(rng, blocks);
    Op op{OpKind::kNext, 0};
    if (rng.Below(5) == 0) {  // WAND's block-max window: shallow_next ahead
      op = {OpKind::kShallow, TargetAt(l.docs, (c->block_idx + d + 1) * kBlockSize, rng)};
    } else {
      op.least_id = TargetAt(l.docs, c->index + d * kBlockSize + rng.Below(kBlockSize), rng);
    }
    ops.push_back(op);
    Apply(l, op, c.get());
  }
  return ops;
}

std::vector<uint32_t> DrawFreqs(size_t n, bool huge, SplitMix64& rng) {
  std::vector<uint32_t> f(n);
  for (uint32_t& v : f) {
    v = huge ? (rng.Below(4) == 0 ? UINT32_MAX : static_cast<uint32_t>(rng.Next()) | 1)
             : static_cast<uint32_t>(1 + rng.Below(rng.Below(8) == 0 ? 300 : 8));
  }
  return f;
}

}  // namespace

ListData EncodeLance(std::vector<uint32_t> docs, std::vector<uint32_t> freqs, TailCodec tail) {
  ListData l;
  l.lance = true;
  l.tail = tail;
  const size_t n = docs.size();
  for (size_t block = 0; block * kBlockSize < n; ++block) {
    l.offsets.push_back(static_cast<int64_t>(l.bytes.size()));
    const size_t at = block * kBlockSize, m = std::min(kBlockSize, n - at);
    const uint32_t* d = docs.data() + at;
    const uint32_t* f = freqs.data() + at;
    PutScore(&l.bytes, block);
    if (m == kBlockSize) {
      uint32_t deltas[kBlockSize], all = 0, max_freq = 0;
      for (size_t i = 0; i < m; ++i) {
        deltas[i] = i == 0 ? 0 : d[i] - d[i - 1];
        all |= deltas[i];
        max_freq = std::max(max_freq, f[i]);
      }
      PutU32(&l.bytes, d[0]);
      l.bytes.push_back(static_cast<uint8_t>(BitWidth(all)));
      Pack(deltas, BitWidth(all), &l.bytes);
      l.bytes.push_back(static_cast<uint8_t>(BitWidth(max_freq)));
      Pack(f, BitWidth(max_freq), &l.bytes);
    } else if (tail == TailCodec::kFixed32) {
      for (size_t i = 0; i < m; ++i) PutU32(&l.bytes, d[i]);
      for (size_t i = 0; i < m; ++i) PutU32(&l.bytes, f[i]);
    } else {
      for (size_t i = 0; i < m; ++i) PutVarint(&l.bytes, i == 0 ? d[0] : d[i] - d[i - 1]);
      for (size_t i = 0; i < m; ++i) PutVarint(&l.bytes, f[i]);
    }
  }
  l.offsets.push_back(static_cast<int64_t>(l.bytes.size()));
  l.docs = std::move(docs);
  l.freqs = std::move(freqs);
  return l;
}

KernelApi ReferenceApi() {
  return {&reference::PlainNext, &reference::LanceNext, &reference::LanceShallowNext, nullptr};
}

void Replay(const ListData& list, const std::vector<Op>& ops, size_t first, size_t last,
            size_t index, size_t block_idx, const KernelApi& api, PlainCursor* plain,
            LanceCursor* lance, Observation* out) {
  plain->index = lance->index = index;
  lance->block_idx = block_idx;
  lance->cached = kNoBlock;
  const size_t length = list.docs.size();
  for (size_t k = first; k < last; ++k, ++out) {
    const Op& op = ops[k];
    *out = {};
    if (op.kind == OpKind::kReset) {
      plain->index = lance->index = lance->block_idx = 0;
      lance->cached = kNoBlock;
    } else if (!list.lance) {
      out->doc = api.plain_next(*plain, list.Plain(), op.least_id);
    } else if (op.kind == OpKind::kShallow) {
      api.lance_shallow_next(*lance, list.Lance(), op.least_id);
    } else {
      api.lance_next(*lance, list.Lance(), op.least_id);
      if (lance->index < length) {
        // -2: the cache does not hold the cursor's block.
        const bool cached = lance->cached == lance->index / kBlockSize;
        out->doc = cached ? lance->docs[lance->index % kBlockSize] : -2;
        out->freq = cached ? lance->freqs[lance->index % kBlockSize] : 0;
      }
    }
    out->index = list.lance ? lance->index : plain->index;
    out->block_idx = list.lance ? lance->block_idx : 0;
  }
}

// ---- Speed workloads ------------------------------------------------------

const char* PatternName(Pattern p) {
  static constexpr const char* kNames[] = {"sequential", "skip_shallow", "skip_deep", "wand"};
  return kNames[static_cast<size_t>(p)];
}

std::vector<WorkloadSpec> SpeedWorkloads(bool quick) {
  std::vector<WorkloadSpec> out;
  const auto v2 = TailCodec::kVarintDelta;
  if (quick) {
    return {{false, 100, 0, v2, Pattern::kSkipShallow}, {true, 0, 100, v2, Pattern::kWand}};
  }
  for (size_t blocks : {size_t{100}, size_t{10'000}, size_t{80'000}}) {
    for (Pattern p : {Pattern::kSequential, Pattern::kSkipShallow, Pattern::kSkipDeep}) {
      out.push_back({false, blocks, 0, v2, p});
    }
  }
  // Lance: the commonest term (936k postings), a mid one (42k), a rare one
  // (271: two blocks and a Fixed32 tail, the format of older indexes).
  out.push_back({true, 0, 1, v2, Pattern::kWand});
  out.push_back({true, 0, 100, v2, Pattern::kWand});
  out.push_back({true, 0, 10'000, TailCodec::kFixed32, Pattern::kWand});
  return out;
}

std::string ShapeName(const WorkloadSpec& w) {
  if (!w.lance) return "(" + std::to_string(w.blocks) + " blocks)";
  return "(lance r" + std::to_string(w.rank) +
         ",n=" + std::to_string(data::ZipfDocFrequency(w.rank)) +
         (w.tail == TailCodec::kFixed32 ? ",fixed32)" : ",varint)");
}

std::shared_ptr<const SpeedData> BuildSpeedData(const WorkloadSpec& w) {
  const std::string key = "posting-seek " + ShapeName(w) + " " + PatternName(w.pattern);
  return CachedData<SpeedData>(key, [&] {
    SpeedData d;
    d.spec = w;
    SplitMix64 rng(DeriveSeed(0x5EEC0ull, key.c_str()));
    if (!w.lance) {
      d.list = std::make_shared<ListData>(PlainListOf(w.blocks));
      d.ops = RustSpeedOps(w.blocks, w.pattern);
    } else {
      const size_t n = data::ZipfDocFrequency(w.rank);
      std::vector<uint32_t> docs;
      for (size_t doc = 0, left = n; left > 0; ++doc) {  // a uniform subset of 1M docs
        if (rng.Below(data::kFtsDocs - doc) < left) {
          docs.push_back(static_cast<uint32_t>(doc));
          --left;
        }
      }
      d.list = std::make_shared<ListData>(EncodeLance(docs, DrawFreqs(n, false, rng), w.tail));
      d.ops = WandTrace(*d.list, 1024, rng);
    }
    // Batches of 32 calls (resets ride along) and the cursor before each.
    auto c = std::make_unique<LanceCursor>();
    PlainCursor plain;
    std::vector<Observation> obs(d.ops.size());
    Replay(*d.list, d.ops, 0, d.ops.size(), 0, 0, ReferenceApi(), &plain, c.get(), obs.data());
    size_t calls = 0, first = 0;
    for (size_t k = 0; k < d.ops.size(); ++k) {
      if (d.ops[k].kind != OpKind::kReset && ++calls % kCallsPerBatch == 0) {
        const Observation& before = first == 0 ? Observation{} : obs[first - 1];
        d.batches.push_back({first, k + 1, before.index, before.block_idx});
        first = k + 1;
      }
    }
    return d;
  });
}

// ---- Battery ---------------------------------------------------------------

std::vector<BatteryCase> Battery(bool quick) {
  std::vector<BatteryCase> out;
  for (size_t blocks : {size_t{100}, size_t{10'000}, size_t{80'000}}) {
    if (quick && blocks == 80'000) continue;
    for (int edge = 0; edge < 5; ++edge) {
      // The largest list (41 MB) only where its size matters: the deep
      // jump and the end.
      if (blocks == 80'000 && edge != 2 && edge != 3) continue;
      static constexpr const char* kEdges[] = {"sequential", "skip_shallow", "skip_deep",
                                               "past_end", "before_start"};
      out.push_back(
          {"(" + std::to_string(blocks) + " blocks) " + kEdges[edge], false, blocks, edge});
    }
  }
  const std::vector<size_t> lengths =
      quick ? std::vector<size_t>{1, 129, 1000}
            : std::vector<size_t>{1, 5, 127, 128, 129, 255, 256, 300, 1000, 4000};
  for (size_t n : lengths) {
    for (TailCodec tail : {TailCodec::kFixed32, TailCodec::kVarintDelta}) {
      for (Docs docs : {Docs::kDense, Docs::kSparse, Docs::kWide}) {
        for (bool huge : {false, true}) {
          static constexpr const char* kDocs[] = {"dense", "sparse", "wide"};
          out.push_back({"(lance n=" + std::to_string(n) +
                             (tail == TailCodec::kFixed32 ? " fixed32 " : " varint ") +
                             kDocs[static_cast<int>(docs)] + (huge ? " huge-freq)" : ")"),
                         true, 0, 0, n, tail, docs, huge});
        }
      }
    }
  }
  return out;
}

namespace {

std::vector<uint32_t> DrawDocs(size_t n, Docs kind, SplitMix64& rng) {
  std::vector<uint32_t> docs(n);
  uint64_t doc = rng.Below(1000);
  const uint64_t budget = UINT32_MAX - doc;  // wide: the last doc is u32 max
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) {
      if (kind == Docs::kDense) doc += 1;
      if (kind == Docs::kSparse) doc += 1 + rng.Below(uint64_t{1} << rng.Below(17));
      if (kind == Docs::kWide) doc += 1 + rng.Below(budget / n);
    }
    docs[i] = static_cast<uint32_t>(doc);
  }
  if (kind == Docs::kWide && n > 0) docs[n - 1] = UINT32_MAX;
  return docs;
}

// Targets around the cursor, on block boundaries, before the first and
// past the last doc, u32 max, repeated and backwards; shallow calls ahead.
std::vector<Op> BatteryOps(const ListData& l, SplitMix64& rng) {
  const std::vector<uint32_t>& docs = l.docs;
  const size_t n = docs.size();
  std::vector<Op> ops;
  size_t near = 0;
  for (int k = 0; k < 160; ++k) {
    const size_t p = rng.Below(3) == 0 ? rng.Below(n) : std::min(n - 1, near + rng.Below(300));
    const size_t block_start = p / kBlockSize * kBlockSize;
    const uint32_t choices[] = {docs[p],
                                docs[p] == 0 ? 0 : docs[p] - 1,
                                docs[p] == UINT32_MAX ? UINT32_MAX : docs[p] + 1,
                                docs[block_start],
                                docs[block_start] == 0 ? 0 : docs[block_start] - 1,
                                docs[std::min(n - 1, block_start + kBlockSize - 1)],
                                0,
                                UINT32_MAX,
                                ops.empty() ? 0 : ops.back().least_id};
    const uint32_t target = choices[rng.Below(std::size(choices))];
    const uint64_t r = rng.Below(20);
    ops.push_back({r == 0 ? OpKind::kReset : r < 6 ? OpKind::kShallow : OpKind::kNext, target});
    near = std::max(near, p);
  }
  return ops;
}

}  // namespace

Problem DrawCase(const BatteryCase& c, uint64_t seed) {
  SplitMix64 rng(seed);
  Problem p;
  if (!c.lance) {
    p.list = PlainListOf(c.blocks);
    p.ops = RustEdgeOps(c.blocks, c.edge);
    return p;
  }
  std::vector<uint32_t> docs = DrawDocs(c.length, c.docs, rng);
  p.list = EncodeLance(std::move(docs), DrawFreqs(c.length, c.huge_freqs, rng), c.tail);
  p.ops = BatteryOps(p.list, rng);
  return p;
}

}  // namespace lar::posting_seek
