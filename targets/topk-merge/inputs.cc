// topk-merge workload and battery generators.
#include "targets/topk-merge/inputs.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <limits>

namespace lar::topk_merge {

const char* OrderName(Order o) {
  switch (o) {
    case Order::kUniform:
      return "uniform";
    case Order::kTies:
      return "ties";
    case Order::kDescending:
      return "descending";
    case Order::kAscending:
      return "ascending";
    case Order::kSpecial:
      return "special";
    case Order::kEqual:
      return "equal";
  }
  return "?";
}

std::string ShapeName(const Shape& s) {
  return "(k=" + std::to_string(s.k) + ",P=" + std::to_string(s.partitions) +
         ",n=" + std::to_string(s.rows) + ")";
}

std::vector<WorkloadSpec> SpeedWorkloads(bool quick) {
  // (k, P, rows per partition). Lance: k' = k * refine_factor of 10..1000,
  // nprobes x index deltas of 1..100, partitions of 1k..20k rows.
  if (quick) {
    return {{{10, 4, 2000}, Order::kUniform},
            {{100, 8, 1000}, Order::kTies},
            {{1000, 2, 4000}, Order::kDescending}};
  }
  return {{{10, 1, 20000}, Order::kUniform},     {{10, 20, 2000}, Order::kUniform},
          {{10, 20, 2000}, Order::kTies},        {{100, 20, 5000}, Order::kUniform},
          {{100, 20, 5000}, Order::kDescending}, {{100, 100, 1000}, Order::kUniform},
          {{1000, 10, 4000}, Order::kUniform},   {{1000, 10, 4000}, Order::kTies}};
}

namespace {

float Special(SplitMix64& rng) {
  static constexpr uint32_t kBits[] = {
      0x7FC00000u,  // +NaN
      0xFFC00000u,  // -NaN (x86's default NaN)
      0x7F800001u,  // +sNaN, smallest payload
      0xFFFFFFFFu,  // -NaN, largest payload: first in total order
      0x7FFFFFFFu,  // +NaN, largest payload: last
      0x7F800000u,  // +inf
      0xFF800000u,  // -inf
      0x80000000u,  // -0
      0x00000000u,  // +0
      0x00000001u,  // smallest subnormal
      0x80000001u,  // -smallest subnormal
      0x7F7FFFFFu,  // FLT_MAX
  };
  const uint32_t bits = kBits[rng.Below(std::size(kBits))];
  float v;
  std::memcpy(&v, &bits, sizeof(v));
  return v;
}

}  // namespace

void DrawProblem(const Shape& shape, Order order, bool ragged, SplitMix64& rng, Problem* out) {
  const size_t p_count = shape.partitions;
  out->sizes.resize(p_count);
  size_t total = 0;
  for (size_t p = 0; p < p_count; ++p) {
    out->sizes[p] = ragged ? static_cast<size_t>(rng.Below(shape.rows + 1)) : shape.rows;
    total += out->sizes[p];
  }
  out->distances.resize(total);
  out->row_ids.resize(total);
  // Row ids: a shuffled permutation of 0..total-1 over a random fragment
  // number in the high word, as Lance's (fragment << 32 | offset) ids.
  std::vector<uint64_t> ids(total);
  for (size_t i = 0; i < total; ++i) ids[i] = i;
  for (size_t i = total; i > 1; --i) std::swap(ids[i - 1], ids[rng.Below(i)]);
  const float equal_value = static_cast<float>(rng.Uniform(0.0, 4.0));
  size_t base = 0;
  for (size_t p = 0; p < p_count; ++p) {
    float* d = out->distances.data() + base;
    const size_t n = out->sizes[p];
    for (size_t i = 0; i < n; ++i) {
      out->row_ids[base + i] = (rng.Below(8) << 32) | ids[base + i];
      switch (order) {
        case Order::kTies:
          d[i] = 0.125f * static_cast<float>(rng.Below(16));
          break;
        case Order::kSpecial:
          d[i] = rng.Below(8) == 0 ? Special(rng) : static_cast<float>(rng.Uniform(0.0, 4.0));
          break;
        case Order::kEqual:
          d[i] = equal_value;
          break;
        default:
          d[i] = static_cast<float>(rng.Uniform(0.0, 4.0));
          break;
      }
    }
    if (order == Order::kDescending) std::sort(d, d + n, std::greater<float>());
    if (order == Order::kAscending) std::sort(d, d + n);
    base += n;
  }
}

std::vector<BatteryCase> Battery(bool quick) {
  std::vector<BatteryCase> out;
  struct Size {
    size_t k, p, rows;
  };
  const std::vector<Size> sizes =
      quick ? std::vector<Size>{{0, 2, 50}, {1, 1, 1}, {10, 3, 0}, {10, 4, 1000}, {100, 3, 257}}
            : std::vector<Size>{{0, 2, 50},     {1, 1, 0},      {1, 1, 1},     {1, 3, 100},
                                {5, 1, 3},      {10, 1, 7},     {10, 1, 10},   {10, 1, 11},
                                {10, 3, 0},     {10, 4, 1000},  {16, 2, 17},   {31, 5, 33},
                                {64, 7, 129},   {100, 3, 257},  {100, 20, 99}, {1000, 2, 5000},
                                {1500, 3, 900}, {2048, 2, 4099}};
  const Order orders[] = {Order::kUniform,   Order::kTies,    Order::kDescending,
                          Order::kAscending, Order::kSpecial, Order::kEqual};
  for (Order o : orders) {
    for (const Size& s : sizes) {
      for (bool ragged : {false, true}) {
        if (ragged && (quick || s.p == 1)) continue;
        const Shape shape{s.k, s.p, s.rows};
        out.push_back(
            {std::string(OrderName(o)) + " " + ShapeName(shape) + (ragged ? " ragged" : ""), shape,
             o, ragged});
      }
    }
  }
  out.push_back({"misaligned +1 special (k=10,P=3,n=301)", {10, 3, 301}, Order::kSpecial, true, 1});
  out.push_back({"misaligned +3 ties (k=37,P=4,n=1001)", {37, 4, 1001}, Order::kTies, false, 3});
  return out;
}

}  // namespace lar::topk_merge
