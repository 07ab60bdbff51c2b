// bitpack workload and battery generators, and the packer.
#include "targets/bitpack/inputs.h"

#include <bit>
#include <cmath>
#include <cstring>

namespace lar::bitpack {
namespace {

uint64_t MaskOf(int width) { return width >= 64 ? ~0ull : (1ull << width) - 1; }

// The values of one chunk (up to 1024, from `first`).
void DrawChunk(const PageSpec& s, size_t first, size_t count, SplitMix64& rng, uint64_t* out) {
  const int t = s.bits;
  int width = s.width;
  if (s.dist == Dist::kVaried) width = static_cast<int>(rng.Below(static_cast<uint64_t>(t) + 1));
  if (s.dist == Dist::kSkewed) {
    // Most chunks narrow, a few wide: W = 1 + floor(T u^2).
    const double u = rng.Uniform01();
    width = std::min(t, 1 + static_cast<int>(t * u * u));
  }
  for (size_t k = 0; k < count; ++k) {
    uint64_t v = 0;
    switch (s.dist) {
      case Dist::kUniform:
      case Dist::kVaried:
        v = rng.Next() & MaskOf(width);
        break;
      case Dist::kAllOnes:
        v = MaskOf(width);
        break;
      case Dist::kSkewed: {
        // Small values likelier within the chunk's width (a shift of 64
        // is undefined: it gives 0).
        const uint64_t bits = rng.Next() & MaskOf(width);
        const uint64_t shift = rng.Below(static_cast<uint64_t>(width) + 1);
        v = shift >= 64 ? 0 : bits >> shift;
        break;
      }
      case Dist::kMonotonic:
        v = (first + k) & MaskOf(t);
        break;
      case Dist::kNegative: {
        const uint64_t magnitude = rng.Below(t >= 16 ? 1000 : 100);
        v = rng.Below(4096) == 0 ? (~magnitude & MaskOf(t)) : magnitude;  // -(m + 1)
        break;
      }
    }
    out[k] = v;
  }
  // The chunk's statistic gives exactly the intended width.
  if ((s.dist == Dist::kUniform || s.dist == Dist::kVaried) && width > 0 && count > 0) {
    out[0] |= 1ull << (width - 1);
  }
}

template <typename T>
void PackChunk(int width, const uint64_t* values, T* packed) {
  constexpr int kT = static_cast<int>(sizeof(T) * 8);
  constexpr size_t kLanes = kChunkValues / kT;
  if (width == 0) return;
  for (size_t lane = 0; lane < kLanes; ++lane) {
    for (int row = 0; row < kT; ++row) {
      const size_t i = static_cast<size_t>(kFlOrder[row / 8] * 16 + (row % 8) * 128) + lane;
      const uint64_t v = values[i] & MaskOf(width);
      const int bit = row * width, k = bit / kT, shift = bit % kT;
      packed[static_cast<size_t>(k) * kLanes + lane] |= static_cast<T>(v << shift);
      if (shift + width > kT) {
        packed[static_cast<size_t>(k + 1) * kLanes + lane] |= static_cast<T>(v >> (kT - shift));
      }
    }
  }
}

template <typename T>
void PackAll(const std::vector<uint64_t>& values, Packed* p) {
  constexpr int kT = static_cast<int>(sizeof(T) * 8);
  const size_t chunks = (values.size() + kChunkValues - 1) / kChunkValues;
  std::vector<T> words;
  uint64_t chunk[kChunkValues];
  for (size_t c = 0; c < chunks; ++c) {
    const size_t first = c * kChunkValues;
    const size_t count = std::min(kChunkValues, values.size() - first);
    uint64_t all = 0;
    for (size_t k = 0; k < kChunkValues; ++k) {
      chunk[k] = k < count ? values[first + k] : 0;  // the last chunk zero-padded
      all |= chunk[k];
    }
    // statistics.rs: W = T - leading_zeros(OR of the chunk's values).
    const int width = all == 0 ? 0 : 64 - std::countl_zero(all);
    p->widths.push_back(width);
    words.push_back(static_cast<T>(width));
    const size_t body = kChunkValues * static_cast<size_t>(width) / kT;
    words.resize(words.size() + body, T{0});
    PackChunk<T>(width, chunk, words.data() + words.size() - body);
  }
  p->words = words.size();
  p->storage.assign((words.size() * sizeof(T) + 7) / 8, 0);
  if (!words.empty()) std::memcpy(p->storage.data(), words.data(), words.size() * sizeof(T));
}

}  // namespace

const char* DistName(Dist d) {
  switch (d) {
    case Dist::kUniform:
      return "uniform";
    case Dist::kAllOnes:
      return "all-ones";
    case Dist::kSkewed:
      return "skewed";
    case Dist::kMonotonic:
      return "monotonic";
    case Dist::kNegative:
      return "negative";
    case Dist::kVaried:
      return "varied";
  }
  return "?";
}

std::string ShapeName(const PageSpec& s) {
  return "(u" + std::to_string(s.bits) + "," + std::to_string(s.n) + ")";
}

std::string DistributionName(const PageSpec& s) {
  if (s.dist == Dist::kUniform) return "W=" + std::to_string(s.width);
  if (s.dist == Dist::kAllOnes) return "all-ones W=" + std::to_string(s.width);
  return DistName(s.dist);
}

std::vector<uint64_t> DrawValues(const PageSpec& s, SplitMix64& rng) {
  std::vector<uint64_t> values(s.n);
  for (size_t first = 0; first < s.n; first += kChunkValues) {
    DrawChunk(s, first, std::min(kChunkValues, s.n - first), rng, values.data() + first);
  }
  return values;
}

Packed Pack(int bits, const std::vector<uint64_t>& values) {
  Packed p;
  p.bits = bits;
  p.n = values.size();
  switch (bits) {
    case 8:
      PackAll<uint8_t>(values, &p);
      break;
    case 16:
      PackAll<uint16_t>(values, &p);
      break;
    case 32:
      PackAll<uint32_t>(values, &p);
      break;
    default:
      PackAll<uint64_t>(values, &p);
      break;
  }
  return p;
}

std::vector<WorkloadSpec> SpeedWorkloads(bool quick) {
  // L2-resident: 64K values (256 KiB of u32 output); a page: Lance flushes
  // about 8 MiB per column (2M u32 values, 1M u64).
  constexpr size_t kL2 = 65536, kPage32 = 2u << 20, kPage64 = 1u << 20;
  if (quick) {
    return {
        {32, 8192, Dist::kUniform, 7}, {64, 4096, Dist::kUniform, 33}, {16, 8192, Dist::kSkewed}};
  }
  std::vector<WorkloadSpec> w;
  for (int width : {0, 1, 3, 7, 8, 13, 16, 17, 31, 32})
    w.push_back({32, kL2, Dist::kUniform, width});
  for (int width : {0, 1, 8, 16, 17, 32}) w.push_back({32, kPage32, Dist::kUniform, width});
  for (int width : {1, 13, 33, 48, 63, 64}) w.push_back({64, kL2, Dist::kUniform, width});
  for (int width : {33, 64}) w.push_back({64, kPage64, Dist::kUniform, width});
  w.push_back({8, kL2, Dist::kUniform, 3});
  w.push_back({16, kL2, Dist::kUniform, 9});
  for (size_t n : {kL2, kPage32}) {
    w.push_back({32, n, Dist::kSkewed});
    w.push_back({32, n, Dist::kNegative});
  }
  w.push_back({32, kPage32, Dist::kMonotonic});
  return w;
}

std::vector<BatteryCase> Battery(bool quick) {
  std::vector<BatteryCase> out;
  auto add = [&](const PageSpec& s, size_t misalign = 0) {
    std::string name = ShapeName(s) + " " + DistributionName(s);
    if (misalign > 0) name += " misaligned +" + std::to_string(misalign);
    out.push_back({name, s, misalign});
  };
  for (int bits : {8, 16, 32, 64}) {
    // Every width with a full chunk and a one-value chunk after it.
    for (int width = 0; width <= bits; width += quick ? 7 : 1) {
      add({bits, 1025, Dist::kUniform, width});
    }
    // Edge sizes at W = 0, 1, a middle one, T - 1 and T.
    const std::vector<size_t> sizes =
        quick ? std::vector<size_t>{0, 1, 1023, 3073}
              : std::vector<size_t>{0, 1, 2, 1023, 1024, 1025, 2048, 4103, 100003};
    for (int width : {0, 1, bits / 2 + 1, bits - 1, bits}) {
      for (size_t n : sizes) add({bits, n, Dist::kUniform, width});
    }
    add({bits, 1024, Dist::kAllOnes, bits - 1});
    add({bits, 3000, Dist::kAllOnes, bits / 2 + 1});
    for (Dist d : {Dist::kSkewed, Dist::kMonotonic, Dist::kNegative, Dist::kVaried}) {
      add({bits, quick ? size_t{5000} : size_t{20000 + static_cast<size_t>(bits)}, d});
    }
    add({bits, 4103, Dist::kVaried}, 1);
    add({bits, 2049, Dist::kUniform, bits / 2 + 1}, 3);
  }
  return out;
}

}  // namespace lar::bitpack
