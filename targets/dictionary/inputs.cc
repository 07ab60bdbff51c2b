// dictionary workload and battery generators.
#include "targets/dictionary/inputs.h"

#include <algorithm>
#include <cmath>

namespace lar::dictionary {
namespace {

// Rank r in [0, C) with P(r) ~ 1 / (r + 1): floor(C^u) - 1 is log-uniform,
// Zipf with s = 1 in the continuous limit.
uint64_t ZipfRank(uint64_t c, SplitMix64& rng) {
  const double r = std::floor(std::pow(static_cast<double>(c), rng.Uniform01()));
  return std::min<uint64_t>(static_cast<uint64_t>(r) - 1, c - 1);
}

}  // namespace

const char* DistName(Dist d) {
  switch (d) {
    case Dist::kUniform:
      return "uniform";
    case Dist::kZipf:
      return "zipf";
    case Dist::kRuns:
      return "runs";
  }
  return "?";
}

std::string ShapeName(const DictSpec& s) {
  std::string v;
  if (s.kind == Kind::kBinary) {
    v = std::string(s.offsets == OffsetWidth::k32 ? "str32" : "str64") + " avg " +
        std::to_string(s.avg_len);
  } else {
    v = std::to_string(s.width) + "B";
  }
  const char* idx = s.kind == Kind::kPacked      ? "packed"
                    : s.index == IndexWidth::k8  ? "u8"
                    : s.index == IndexWidth::k16 ? "u16"
                                                 : "u32";
  return "(" + v + "," + idx + ",C=" + std::to_string(s.cardinality) + ",n=" + std::to_string(s.n) +
         ")";
}

std::string DistributionName(const DictSpec& s) { return DistName(s.dist); }

FixedDictionary DictData::Fixed() const {
  return {reinterpret_cast<const uint8_t*>(fixed.data()), spec.width, spec.cardinality};
}

BinaryDictionary DictData::Binary() const {
  const bool w32 = spec.offsets == OffsetWidth::k32;
  return {w32 ? static_cast<const void*>(off32.data()) : static_cast<const void*>(off64.data()),
          spec.offsets, bytes.data(), spec.cardinality};
}

DictData DrawDictionary(const DictSpec& s, SplitMix64& rng) {
  DictData d;
  d.spec = s;
  if (s.kind != Kind::kBinary) {
    d.fixed.resize((s.cardinality * s.width + 7) / 8 + 1);
    for (uint64_t& w : d.fixed) w = rng.Next();
    return d;
  }
  d.off32.assign(1, 0);
  d.off64.assign(1, 0);
  size_t total = 0;
  for (size_t i = 0; i < s.cardinality; ++i) {
    const size_t len = static_cast<size_t>(rng.Below(2 * s.avg_len + 1));
    d.max_len = std::max(d.max_len, len);
    total += len;
    d.off32.push_back(static_cast<uint32_t>(total));
    d.off64.push_back(total);
  }
  d.bytes.resize(total);
  for (uint8_t& b : d.bytes) b = static_cast<uint8_t>(rng.Next());
  return d;
}

void DrawIndices(const DictSpec& s, SplitMix64& rng, IndexData* out) {
  const uint64_t c = s.cardinality;
  std::vector<uint32_t>& idx = out->u32;
  idx.resize(s.n);
  for (size_t j = 0; j < s.n;) {
    if (s.dist == Dist::kRuns) {
      const size_t run = 1 + static_cast<size_t>(rng.Below(256));
      const uint32_t v = static_cast<uint32_t>(rng.Below(c));
      for (size_t k = 0; k < run && j < s.n; ++k) idx[j++] = v;
      continue;
    }
    // Zipf ranks scattered by an odd multiplier (a bijection when C is a
    // power of two, near one otherwise), so popular values are not adjacent.
    idx[j++] = static_cast<uint32_t>(s.dist == Dist::kZipf ? ZipfRank(c, rng) * 0x9E3779B1ull % c
                                                           : rng.Below(c));
  }
  if (s.kind == Kind::kPacked) {
    out->packed = bitpack::Pack(32, std::vector<uint64_t>(idx.begin(), idx.end()));
  } else if (s.index == IndexWidth::k8) {
    out->u8.assign(idx.begin(), idx.end());
  } else if (s.index == IndexWidth::k16) {
    out->u16.assign(idx.begin(), idx.end());
  }
}

DictIndices View(const DictSpec& s, const IndexData& d) {
  switch (s.index) {
    case IndexWidth::k8:
      return {d.u8.data(), s.index, s.n};
    case IndexWidth::k16:
      return {d.u16.data(), s.index, s.n};
    default:
      return {d.u32.data(), s.index, s.n};
  }
}

std::vector<WorkloadSpec> SpeedWorkloads(bool quick) {
  constexpr size_t kN = 65536;  // indices per page: 1 MiB of 16-byte output
  auto fixed = [](size_t width, size_t c, IndexWidth iw, Dist d) {
    return DictSpec{Kind::kFixed, width, OffsetWidth::k32, 0, c, iw, kN, d};
  };
  auto str = [](OffsetWidth o, size_t avg, size_t c, Dist d) {
    return DictSpec{Kind::kBinary, 0, o, avg, c, IndexWidth::k32, kN, d};
  };
  auto packed = [](size_t c, Dist d) {
    return DictSpec{Kind::kPacked, 16, OffsetWidth::k32, 0, c, IndexWidth::k32, kN, d};
  };
  const IndexWidth u8 = IndexWidth::k8, u16 = IndexWidth::k16, u32 = IndexWidth::k32;
  if (quick) {
    return {{Kind::kFixed, 16, OffsetWidth::k32, 0, 256, u32, 4096, Dist::kUniform},
            {Kind::kBinary, 0, OffsetWidth::k32, 16, 1000, u32, 4096, Dist::kZipf},
            {Kind::kPacked, 16, OffsetWidth::k32, 0, 1024, u32, 4096, Dist::kUniform}};
  }
  std::vector<WorkloadSpec> w;
  // 16-byte values, the dictionary from L1 (C = 2) to DRAM (C = 1M: 16 MiB).
  for (size_t c : {2u, 16u, 256u, 1024u, 65536u, 1u << 20}) {
    w.push_back(fixed(16, c, u32, Dist::kUniform));
  }
  for (size_t c : {1024u, 65536u, 1u << 20}) w.push_back(fixed(16, c, u32, Dist::kZipf));
  for (size_t c : {256u, 65536u}) w.push_back(fixed(16, c, u32, Dist::kRuns));
  w.push_back(fixed(4, 256, u8, Dist::kUniform));
  w.push_back(fixed(4, 16, u8, Dist::kRuns));
  w.push_back(fixed(8, 1024, u16, Dist::kZipf));
  w.push_back(fixed(8, 65536, u16, Dist::kUniform));
  w.push_back(str(OffsetWidth::k32, 4, 16, Dist::kUniform));
  w.push_back(str(OffsetWidth::k32, 16, 256, Dist::kUniform));
  w.push_back(str(OffsetWidth::k32, 16, 65536, Dist::kZipf));
  w.push_back(str(OffsetWidth::k64, 16, 1024, Dist::kRuns));
  w.push_back(str(OffsetWidth::k32, 64, 1024, Dist::kUniform));
  w.push_back(str(OffsetWidth::k32, 16, 1u << 20, Dist::kUniform));
  for (size_t c : {256u, 1024u, 65536u}) w.push_back(packed(c, Dist::kUniform));
  return w;
}

std::vector<BatteryCase> Battery(bool quick) {
  std::vector<BatteryCase> out;
  auto add = [&](const DictSpec& s, size_t misalign = 0) {
    std::string name = ShapeName(s) + " " + DistributionName(s);
    if (misalign > 0) name += " misaligned +" + std::to_string(misalign);
    out.push_back({name, s, misalign});
  };
  const Dist dists[] = {Dist::kUniform, Dist::kZipf, Dist::kRuns};
  const std::vector<size_t> sizes = quick
                                        ? std::vector<size_t>{0, 1, 17, 1000}
                                        : std::vector<size_t>{0, 1, 7, 15, 16, 17, 100, 1000, 4097};
  size_t turn = 0;
  for (IndexWidth iw : {IndexWidth::k8, IndexWidth::k16, IndexWidth::k32}) {
    const size_t max_c = iw == IndexWidth::k8 ? 256 : iw == IndexWidth::k16 ? 65536 : 70000;
    for (size_t c : {size_t{1}, size_t{3}, size_t{256}, max_c}) {
      for (size_t n : sizes) {
        const Dist d = dists[turn++ % 3];
        for (size_t width : {4, 8, 16}) {
          add({Kind::kFixed, width, OffsetWidth::k32, 0, std::min(c, max_c), iw, n, d});
        }
        add({Kind::kBinary, 0, turn % 2 ? OffsetWidth::k32 : OffsetWidth::k64, turn % 4 * 25,
             std::min(c, max_c), iw, n, d});
      }
    }
  }
  for (size_t c : {size_t{1}, size_t{2}, size_t{1000}, size_t{70000}}) {
    for (size_t n :
         {size_t{0}, size_t{1}, size_t{1023}, size_t{1024}, size_t{1025}, size_t{5000}}) {
      for (size_t width : {4, 8, 16}) {
        add({Kind::kPacked, width, OffsetWidth::k32, 0, c, IndexWidth::k32, n, dists[turn++ % 3]});
      }
    }
  }
  add({Kind::kFixed, 16, OffsetWidth::k32, 0, 300, IndexWidth::k16, 333, Dist::kUniform}, 1);
  add({Kind::kFixed, 4, OffsetWidth::k32, 0, 300, IndexWidth::k32, 333, Dist::kZipf}, 3);
  add({Kind::kBinary, 0, OffsetWidth::k64, 30, 500, IndexWidth::k8, 301, Dist::kUniform}, 1);
  add({Kind::kPacked, 8, OffsetWidth::k32, 0, 999, IndexWidth::k32, 2500, Dist::kRuns}, 1);
  return out;
}

}  // namespace lar::dictionary
