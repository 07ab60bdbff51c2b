// take workload and battery generators.
#include "targets/take/inputs.h"

#include <algorithm>
#include <cstring>

namespace lar::take {
namespace {

// A random bitmap of n bits with about 1 in 10 cleared, padding bits zero.
std::vector<uint8_t> DrawValidity(size_t n, SplitMix64& rng) {
  std::vector<uint8_t> bits((n + 7) / 8, 0);
  for (size_t j = 0; j < n; ++j) {
    if (rng.Below(10) != 0) bits[j / 8] |= static_cast<uint8_t>(1u << (j % 8));
  }
  return bits;
}

// Offsets start here: arrays are often slices of a larger buffer.
constexpr size_t kOffsetBase = 13;

void DrawBinary(const Column& c, SplitMix64& rng, ValueData* v) {
  std::vector<size_t> lens(c.count);
  size_t total = 0;
  for (size_t& len : lens) {
    len = static_cast<size_t>(rng.Below(2 * c.avg_len + 1));
    total += len;
    v->max_len = std::max(v->max_len, len);
  }
  v->bytes.resize(kOffsetBase + total);
  for (uint8_t& b : v->bytes) b = static_cast<uint8_t>(rng.Next());
  size_t at = kOffsetBase;
  v->off32.assign(1, static_cast<int32_t>(at));
  v->off64.assign(1, static_cast<int64_t>(at));
  for (size_t len : lens) {
    at += len;
    v->off32.push_back(static_cast<int32_t>(at));
    v->off64.push_back(static_cast<int64_t>(at));
  }
}

}  // namespace

const char* PatternName(Pattern p) {
  switch (p) {
    case Pattern::kUniform:
      return "uniform";
    case Pattern::kSorted:
      return "sorted";
    case Pattern::kClustered:
      return "clustered";
    case Pattern::kDuplicates:
      return "duplicates";
  }
  return "?";
}

std::string ShapeName(const TakeSpec& s) {
  const Column& c = s.column;
  std::string v = c.binary ? std::string(c.offsets == OffsetWidth::k32 ? "utf8" : "large-utf8") +
                                 " avg " + std::to_string(c.avg_len)
                           : "w" + std::to_string(c.width);
  return "(" + v + "," + (s.index == IndexWidth::k32 ? "u32" : "u64") + "," + std::to_string(s.n) +
         " of " + std::to_string(c.count) + ")";
}

std::string DistributionName(const TakeSpec& s) {
  std::string d = PatternName(s.pattern);
  if (s.nulls && s.column.nulls) return d + " nulls";
  if (s.nulls) return d + " null-indices";
  if (s.column.nulls) return d + " null-values";
  return d;
}

FixedValues ValueData::Fixed() const {
  return {reinterpret_cast<const uint8_t*>(fixed.data()), column.width, column.count,
          validity.empty() ? nullptr : validity.data()};
}

BinaryValues ValueData::Binary() const {
  const bool w32 = column.offsets == OffsetWidth::k32;
  return {w32 ? static_cast<const void*>(off32.data()) : static_cast<const void*>(off64.data()),
          column.offsets, bytes.data(), column.count, validity.empty() ? nullptr : validity.data()};
}

ValueData DrawValueData(const Column& c, SplitMix64& rng) {
  ValueData v;
  v.column = c;
  if (c.binary) {
    DrawBinary(c, rng, &v);
  } else {
    v.fixed.resize((c.count * c.width + 7) / 8 + 1);
    for (uint64_t& w : v.fixed) w = rng.Next();
  }
  if (c.nulls) v.validity = DrawValidity(c.count, rng);
  return v;
}

void DrawIndices(const TakeSpec& s, SplitMix64& rng, IndexData* out) {
  const size_t n = s.n, count = s.column.count;
  std::vector<uint64_t> idx(n);
  uint64_t dup[64];
  for (uint64_t& d : dup) d = count == 0 ? 0 : rng.Below(count);
  for (size_t j = 0; j < n;) {
    if (count == 0) {
      idx[j++] = 0;
      continue;
    }
    if (s.pattern == Pattern::kClustered) {
      const size_t run = 1 + static_cast<size_t>(rng.Below(64));
      const uint64_t start = rng.Below(count);
      for (size_t k = 0; k < run && j < n; ++k) idx[j++] = std::min<uint64_t>(start + k, count - 1);
      continue;
    }
    idx[j++] = s.pattern == Pattern::kDuplicates ? dup[rng.Below(64)] : rng.Below(count);
  }
  if (s.pattern == Pattern::kSorted) std::sort(idx.begin(), idx.end());
  out->validity.clear();
  if (s.nulls || count == 0) {
    out->validity.assign((n + 7) / 8, 0);
    for (size_t j = 0; j < n; ++j) {
      if (count > 0 && rng.Below(10) != 0) {
        out->validity[j / 8] |= static_cast<uint8_t>(1u << (j % 8));
      } else {
        idx[j] = rng.Next() >> rng.Below(64);  // a null index holds anything, in range or not
      }
    }
  }
  if (s.index == IndexWidth::k32) {
    out->u32.resize(n);
    for (size_t j = 0; j < n; ++j) out->u32[j] = static_cast<uint32_t>(idx[j]);
  } else {
    out->u64 = std::move(idx);
  }
}

Indices View(const TakeSpec& s, const IndexData& d) {
  const bool w32 = s.index == IndexWidth::k32;
  return {w32 ? static_cast<const void*>(d.u32.data()) : static_cast<const void*>(d.u64.data()),
          s.index, d.validity.empty() ? nullptr : d.validity.data(), s.n};
}

std::vector<WorkloadSpec> SpeedWorkloads(bool quick) {
  using P = Pattern;
  // Cache-resident takes address one Lance batch (8192 rows, the scan
  // default); FixedSizeList rows and the bulk takes address more.
  constexpr size_t kBatch = 8192, k64K = 65536, k1M = 1u << 20, k10M = 10u << 20;
  auto fixed = [](size_t width, size_t count, bool nulls = false) {
    return Column{false, width, OffsetWidth::k32, 0, count, nulls};
  };
  auto utf8 = [](OffsetWidth o, size_t avg, size_t count, bool nulls = false) {
    return Column{true, 0, o, avg, count, nulls};
  };
  const IndexWidth u32 = IndexWidth::k32, u64 = IndexWidth::k64;
  if (quick) {
    return {{fixed(4, 4096), u32, 1000, P::kUniform},
            {fixed(16, 4096, true), u64, 500, P::kClustered, true},
            {utf8(OffsetWidth::k32, 16, 4096), u32, 1000, P::kSorted}};
  }
  return {
      // Cache-resident values (Lance benches/take.rs takes 1 to 1000 rows).
      {fixed(4, kBatch), u32, 1, P::kUniform},
      {fixed(4, kBatch), u32, 10, P::kUniform},
      {fixed(4, kBatch), u32, 100, P::kUniform},
      {fixed(4, kBatch), u32, 1000, P::kUniform},
      {fixed(4, kBatch), u32, 1000, P::kSorted},
      {fixed(4, kBatch), u64, 1000, P::kClustered},
      {fixed(4, kBatch, true), u32, 1000, P::kUniform, true},
      {fixed(1, kBatch), u32, 1000, P::kUniform},
      {fixed(2, kBatch), u32, 1000, P::kDuplicates},
      {fixed(8, kBatch), u32, 1000, P::kUniform},
      {fixed(8, kBatch, true), u64, 1000, P::kSorted, true},
      {fixed(16, kBatch), u32, 1000, P::kUniform},
      {fixed(16, kBatch), u64, 1000, P::kClustered},
      {fixed(512, 4096), u32, 100, P::kUniform},
      {fixed(512, k64K), u64, 1000, P::kSorted},
      {utf8(OffsetWidth::k32, 16, kBatch), u32, 1000, P::kUniform},
      {utf8(OffsetWidth::k32, 64, kBatch, true), u32, 1000, P::kSorted, true},
      {utf8(OffsetWidth::k64, 16, kBatch), u64, 1000, P::kClustered},
      // Bulk: 1M indices into 10M values (DRAM).
      {fixed(4, k10M), u32, k1M, P::kUniform},
      {fixed(4, k10M), u32, k1M, P::kSorted},
      {fixed(4, k10M), u32, k1M, P::kDuplicates},
      {fixed(8, k10M), u64, k1M, P::kClustered},
      {utf8(OffsetWidth::k32, 16, k1M), u32, k1M, P::kUniform},
  };
}

std::vector<BatteryCase> Battery(bool quick) {
  std::vector<BatteryCase> out;
  auto add = [&](const TakeSpec& s, size_t misalign = 0) {
    std::string name = ShapeName(s) + " " + DistributionName(s);
    if (misalign > 0) name += " misaligned +" + std::to_string(misalign);
    out.push_back({name, s, misalign});
  };
  const Pattern patterns[] = {Pattern::kUniform, Pattern::kSorted, Pattern::kClustered,
                              Pattern::kDuplicates};
  const std::vector<size_t> sizes = quick ? std::vector<size_t>{0, 1, 9, 100}
                                          : std::vector<size_t>{0, 1, 7, 8, 9, 17, 64, 100, 1000};
  size_t turn = 0;
  for (size_t width : {1, 2, 4, 8, 16, 512}) {
    for (IndexWidth iw : {IndexWidth::k32, IndexWidth::k64}) {
      for (int nulls = 0; nulls < 4; ++nulls) {
        for (size_t n : sizes) {
          if (width == 512 && n > 100) continue;
          const size_t count = (turn % 3 == 0) ? 1 : (turn % 3 == 1 ? 5 : 3000);
          const Pattern p = patterns[turn++ % 4];
          add({{false, width, OffsetWidth::k32, 0, count, (nulls & 2) != 0},
               iw,
               n,
               p,
               (nulls & 1) != 0});
        }
      }
    }
  }
  for (OffsetWidth ow : {OffsetWidth::k32, OffsetWidth::k64}) {
    for (IndexWidth iw : {IndexWidth::k32, IndexWidth::k64}) {
      for (int nulls = 0; nulls < 4; ++nulls) {
        for (size_t avg : {size_t{0}, size_t{5}, size_t{40}, size_t{300}}) {
          for (size_t n : {size_t{0}, size_t{1}, size_t{9}, size_t{100}, size_t{1000}}) {
            if (quick && n == 1000) continue;
            const Pattern p = patterns[turn++ % 4];
            add({{true, 0, ow, avg, (turn % 2) ? size_t{7} : size_t{2000}, (nulls & 2) != 0},
                 iw,
                 n,
                 p,
                 (nulls & 1) != 0});
          }
        }
      }
    }
  }
  // No values at all: every index must be null.
  add({{false, 4, OffsetWidth::k32, 0, 0, false}, IndexWidth::k32, 33, Pattern::kUniform, true});
  add({{true, 0, OffsetWidth::k32, 8, 0, false}, IndexWidth::k64, 17, Pattern::kUniform, true});
  add({{false, 4, OffsetWidth::k32, 0, 1000, true}, IndexWidth::k32, 333, Pattern::kUniform, true},
      1);
  add({{false, 8, OffsetWidth::k32, 0, 1000, false}, IndexWidth::k64, 257, Pattern::kSorted}, 3);
  add({{false, 16, OffsetWidth::k32, 0, 100, true}, IndexWidth::k32, 65, Pattern::kClustered}, 1);
  add({{true, 0, OffsetWidth::k64, 20, 500, true}, IndexWidth::k32, 301, Pattern::kUniform, true},
      1);
  return out;
}

}  // namespace lar::take
