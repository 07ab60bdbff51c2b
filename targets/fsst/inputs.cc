// fsst corpora, encoder, page framing, workloads and battery.
#include "targets/fsst/inputs.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace lar::fsst {
namespace {

constexpr const char* kWords[] = {
    "the",     "lance",  "data",    "vector",  "table",   "index",  "query",   "column",
    "file",    "format", "search",  "string",  "value",   "page",   "chunk",   "scan",
    "london",  "paris",  "berlin",  "tokyo",   "madrid",  "rome",   "oslo",    "lisbon",
    "maria",   "james",  "chen",    "garcia",  "smith",   "kumar",  "nguyen",  "ivanova",
    "account", "order",  "product", "payment", "service", "report", "support", "customer",
    "with",    "from",   "into",    "about",   "which",   "their",  "would",   "there",
    "example", "mail",   "news",    "shop",    "cloud",   "user",   "item",    "blog"};
constexpr size_t kWordCount = std::size(kWords);
constexpr const char* kTlds[] = {"com", "org", "net", "io", "de", "co.uk"};
constexpr const char* kPatterns[] = {"abcabc", "ERROR: connection reset by peer; ",
                                     "GET /index.html HTTP/1.1 200 ", "0000000011111111",
                                     "lorem ipsum dolor sit amet "};

std::string Word(SplitMix64& rng) { return kWords[rng.Below(kWordCount)]; }

std::string Medium(SplitMix64& rng) {
  if (rng.Below(2) == 0) {
    return Word(rng) + "." + Word(rng) + std::to_string(rng.Below(100)) + "@" + Word(rng) + "." +
           kTlds[rng.Below(std::size(kTlds))];
  }
  std::string s = "https://www." + Word(rng) + "." + kTlds[rng.Below(std::size(kTlds))];
  const size_t parts = 1 + rng.Below(4);
  for (size_t k = 0; k < parts; ++k) s += "/" + Word(rng);
  return s + "?id=" + std::to_string(rng.Below(1000000));
}

std::string DrawOne(Text kind, SplitMix64& rng) {
  std::string s;
  switch (kind) {
    case Text::kShort: {
      const size_t len = 5 + rng.Below(16);
      while (s.size() < len) {
        std::string w = Word(rng);
        w[0] = static_cast<char>(w[0] - 32 * static_cast<int>(rng.Below(2)));
        s += (s.empty() ? "" : " ") + w;
      }
      s.resize(len);
      return s;
    }
    case Text::kMedium:
      s = Medium(rng);
      s.resize(std::min<size_t>(std::max<size_t>(s.size(), 20), 100), '/');
      return s;
    case Text::kLong: {
      const size_t len = 100 + rng.Below(901);
      while (s.size() < len) s += Word(rng) + (rng.Below(8) == 0 ? ", " : " ");
      s.resize(len);
      s.back() = '.';
      return s;
    }
    case Text::kRandom:
      s.resize(5 + rng.Below(96));
      for (char& c : s) c = static_cast<char>(rng.Next());
      return s;
    case Text::kRepetitive: {
      const std::string p = kPatterns[rng.Below(std::size(kPatterns))];
      const size_t len = 20 + rng.Below(181);
      while (s.size() < len) s += p;
      s.resize(len);
      return s;
    }
  }
  return s;
}

struct Candidate {
  uint64_t gain;
  size_t len;
  uint64_t bytes;
};

uint64_t Load(const uint8_t* p, size_t len) {
  uint64_t v = 0;
  std::memcpy(&v, p, len);
  return v;
}

// Up to max_symbols symbols from a ~16 KiB sample, a one-pass
// simplification of FSST's training: every byte value of the sample first
// (so that text, as with FSST, almost never escapes), then the substrings
// of 2..8 bytes with the largest count x length.
std::vector<Candidate> TrainSymbols(const Strings& s, size_t max_symbols) {
  std::unordered_map<uint64_t, uint64_t> counts[9];
  size_t sampled = 0;
  for (size_t i = 0; i < s.size() && sampled < (16u << 10); ++i) {
    const uint8_t* str = s.bytes.data() + s.offsets[i];
    const size_t len = static_cast<size_t>(s.offsets[i + 1] - s.offsets[i]);
    for (size_t p = 0; p < len; ++p) {
      for (size_t l = 1; l <= 8 && p + l <= len; ++l) ++counts[l][Load(str + p, l)];
    }
    sampled += len;
  }
  auto by_gain = [](const Candidate& a, const Candidate& b) {
    if (a.gain != b.gain) return a.gain > b.gain;
    return a.len != b.len ? a.len > b.len : a.bytes < b.bytes;
  };
  std::vector<Candidate> bytes, longer;
  for (const auto& [b, count] : counts[1]) bytes.push_back({count, 1, b});
  for (size_t l = 2; l <= 8; ++l) {
    for (const auto& [b, count] : counts[l]) longer.push_back({count * l, l, b});
  }
  std::sort(bytes.begin(), bytes.end(), by_gain);
  std::sort(longer.begin(), longer.end(), by_gain);
  if (bytes.size() > max_symbols) bytes.resize(max_symbols);
  std::vector<Candidate> all = bytes;
  for (size_t k = 0; k < longer.size() && all.size() < max_symbols; ++k) all.push_back(longer[k]);
  return all;
}

}  // namespace

const char* TextName(Text t) {
  switch (t) {
    case Text::kShort:
      return "short";
    case Text::kMedium:
      return "urls-emails";
    case Text::kLong:
      return "long-lines";
    case Text::kRandom:
      return "random-bytes";
    case Text::kRepetitive:
      return "repetitive";
  }
  return "?";
}

Strings DrawStrings(Text kind, size_t bytes, size_t min_count, SplitMix64& rng) {
  Strings s;
  s.offsets.push_back(0);
  while (s.bytes.size() < bytes || s.size() < min_count) {
    if (rng.Below(10) != 0) {
      const std::string one = DrawOne(kind, rng);
      s.bytes.insert(s.bytes.end(), one.begin(), one.end());
    }
    s.offsets.push_back(static_cast<int64_t>(s.bytes.size()));
  }
  return s;
}

Encoded Encode(const Strings& s, size_t max_symbols, bool switch_on) {
  Encoded e;
  e.table.assign(kSymbolTableBytes, 0);
  if (!switch_on) {  // Lance's pass-through: the input as it is
    std::memcpy(e.table.data(), &kMagic, 8);
    e.codes = s.bytes;
    e.offsets = s.offsets;
    return e;
  }
  const std::vector<Candidate> symbols = TrainSymbols(s, std::min<size_t>(max_symbols, 255));
  const uint64_t header = kMagic | kSwitchBit | symbols.size();
  std::memcpy(e.table.data(), &header, 8);
  std::vector<std::vector<uint8_t>> by_first(256);  // codes, longest first
  for (size_t c = 0; c < symbols.size(); ++c) {
    std::memcpy(e.table.data() + 8 + 8 * c, &symbols[c].bytes, 8);
    e.table[8 + 8 * symbols.size() + c] = static_cast<uint8_t>(symbols[c].len);
    by_first[symbols[c].bytes & 255].push_back(static_cast<uint8_t>(c));
  }
  for (auto& codes : by_first) {
    std::stable_sort(codes.begin(), codes.end(),
                     [&](uint8_t a, uint8_t b) { return symbols[a].len > symbols[b].len; });
  }
  e.offsets.push_back(0);
  for (size_t i = 0; i < s.size(); ++i) {
    const uint8_t* str = s.bytes.data() + s.offsets[i];
    const size_t len = static_cast<size_t>(s.offsets[i + 1] - s.offsets[i]);
    for (size_t p = 0; p < len;) {
      bool matched = false;
      for (uint8_t c : by_first[str[p]]) {
        const size_t l = symbols[c].len;
        if (p + l <= len && Load(str + p, l) == symbols[c].bytes) {
          e.codes.push_back(c);
          p += l;
          matched = true;
          break;
        }
      }
      if (!matched) {
        e.codes.push_back(kEscape);
        e.codes.push_back(str[p++]);
      }
    }
    e.offsets.push_back(static_cast<int64_t>(e.codes.size()));
  }
  return e;
}

std::string ShapeName(const PageSpec& s) {
  const size_t kib = s.bytes >> 10;
  return "(" + (kib >= 1024 ? std::to_string(kib >> 10) + " MiB" : std::to_string(kib) + " KiB") +
         "," + (s.width == OffsetWidth::k32 ? "i32" : "i64") + "," +
         (s.chunked ? "4K chunks" : "one call") + ")";
}

std::string DistributionName(const PageSpec& s) { return TextName(s.text); }

Compressed Page::Call(size_t c) const {
  const Chunk& k = chunks[c];
  const bool w32 = spec.width == OffsetWidth::k32;
  return {enc.table.data(),
          enc.codes.data() + k.code_begin,
          k.code_len,
          w32 ? static_cast<const void*>(k.off32.data()) : static_cast<const void*>(k.off64.data()),
          spec.width,
          k.count};
}

// Lance's BinaryMiniBlockEncoder: each chunk holds a power-of-two number of
// strings whose codes fit in about 4 KiB (at least one string); the last
// takes what is left. Offsets rebased to the chunk, as the decompressor sees them.
Page BuildPage(const PageSpec& spec, SplitMix64& rng) {
  constexpr size_t kAimChunk = 4096;
  Page page;
  page.spec = spec;
  const Strings strings = DrawStrings(spec.text, spec.bytes, 1, rng);
  page.enc = Encode(strings, 255, true);
  page.strings = strings.size();
  page.decoded = strings.bytes.size();
  const std::vector<int64_t>& off = page.enc.offsets;
  for (size_t first = 0; first < page.strings;) {
    size_t count = page.strings - first;
    if (spec.chunked) {
      count = 1;
      while (first + 2 * count <= page.strings &&
             static_cast<size_t>(off[first + 2 * count] - off[first]) <= kAimChunk) {
        count *= 2;
      }
    }
    Chunk k;
    k.first = first;
    k.count = count;
    k.code_begin = static_cast<size_t>(off[first]);
    k.code_len = static_cast<size_t>(off[first + count] - off[first]);
    for (size_t i = 0; i <= count; ++i) {
      k.off32.push_back(static_cast<int32_t>(off[first + i] - off[first]));
      k.off64.push_back(off[first + i] - off[first]);
    }
    k.decoded = static_cast<size_t>(strings.offsets[first + count] - strings.offsets[first]);
    page.chunks.push_back(std::move(k));
    first += count;
  }
  return page;
}

Pool BuildPool(const PageSpec& s, uint64_t seed, size_t pages) {
  Pool pool{s, {}};
  SplitMix64 rng(seed);
  for (size_t p = 0; p < pages; ++p) {
    pool.pages.push_back(BuildPage(s, rng));
    const Page& page = pool.pages.back();
    pool.max_decoded = std::max(pool.max_decoded, page.decoded);
    pool.max_strings = std::max(pool.max_strings, page.strings);
    pool.max_chunks = std::max(pool.max_chunks, page.chunks.size());
    for (const Chunk& k : page.chunks) pool.slack = std::max(pool.slack, 8 * k.code_len + 8);
  }
  return pool;
}

std::vector<WorkloadSpec> SpeedWorkloads(bool quick) {
  constexpr size_t k1M = 1u << 20, k8M = 8u << 20;
  const OffsetWidth i32 = OffsetWidth::k32, i64 = OffsetWidth::k64;
  if (quick) {
    return {{Text::kMedium, 64u << 10, i32, true}, {Text::kRandom, 64u << 10, i64, false}};
  }
  return {
      {Text::kShort, k1M, i32, true},      {Text::kMedium, k1M, i32, true},
      {Text::kLong, k1M, i32, true},       {Text::kRandom, k1M, i32, true},
      {Text::kRepetitive, k1M, i32, true}, {Text::kMedium, k1M, i64, true},
      {Text::kMedium, k8M, i32, false},    {Text::kLong, k8M, i32, false},
  };
}

std::vector<BatteryCase> Battery(bool quick) {
  std::vector<BatteryCase> out;
  const Text texts[] = {Text::kShort, Text::kMedium, Text::kLong, Text::kRandom, Text::kRepetitive};
  size_t turn = 0;
  for (Text t : texts) {
    for (size_t bytes : {size_t{0}, size_t{1}, size_t{100}, size_t{5000}, size_t{40000}}) {
      if (quick && bytes == 40000) continue;
      for (OffsetWidth w : {OffsetWidth::k32, OffsetWidth::k64}) {
        const size_t base = (turn++ % 3 == 0) ? 37 : 0;
        const std::string name = std::string(TextName(t)) + " " + std::to_string(bytes) + " B " +
                                 (w == OffsetWidth::k32 ? "i32" : "i64") +
                                 (base ? " offsets from 37" : "");
        out.push_back({name, t, bytes, 1, 255, true, w, base});
      }
    }
  }
  // Every byte escaped (no symbols), few symbols, pass-through, empty.
  out.push_back({"no symbols: all escaped", Text::kRandom, 3000, 1, 0, true});
  out.push_back({"3 symbols", Text::kMedium, 3000, 1, 3, true, OffsetWidth::k64});
  out.push_back({"pass-through", Text::kMedium, 3000, 1, 255, false});
  out.push_back(
      {"pass-through offsets from 37", Text::kShort, 2000, 1, 255, false, OffsetWidth::k64, 37});
  out.push_back({"one string", Text::kShort, 0, 1, 255, true});
  out.push_back(
      {"only empty strings", Text::kShort, 0, 50, 255, true, OffsetWidth::k32, 0, 0, true});
  out.push_back({"many strings, all short", Text::kShort, 20, 300, 255, true});
  out.push_back({"misaligned +1", Text::kLong, 20000, 1, 255, true, OffsetWidth::k32, 5, 1});
  out.push_back(
      {"misaligned +3 escapes", Text::kRandom, 8000, 1, 200, true, OffsetWidth::k64, 0, 3});
  return out;
}

}  // namespace lar::fsst
