// posting-intersect workload and battery generators. The Rust workspace's
// generator (crates/posting-intersect/src/inputs.rs) is re-implemented
// draw for draw (the same SplitMix64 stream, seed mixing and sampling), so
// lar's 9 workspace combos hold exactly the lists the workspace times.
#include "targets/posting-intersect/inputs.h"

#include <algorithm>
#include <numeric>
#include <unordered_set>

#include "data/fts_corpus.h"
#include "harness/slot_combo.h"

namespace lar::posting_intersect {
namespace {

// The workspace's seeds (run_experiment.rs SPEED_SEED) and hashes.
constexpr uint64_t kRustSpeedSeed = 0x5EEDF1ACBABEFACEull;

uint64_t MixSeeds(std::initializer_list<uint64_t> parts) {
  uint64_t mixed = 0;
  for (uint64_t p : parts) {
    mixed += p + 0x9E3779B97F4A7C15ull;
    mixed = (mixed ^ (mixed >> 30)) * 0xBF58476D1CE4E5B9ull;
    mixed = (mixed ^ (mixed >> 27)) * 0x94D049BB133111EBull;
    mixed ^= mixed >> 31;
  }
  return mixed;
}
uint64_t ShapeHash(size_t k) { return static_cast<uint64_t>(k) * 0x9E3779B97F4A7C15ull; }
uint64_t DistHash(Kind k) {
  const uint64_t tag = k == Kind::kBalanced ? 0x101 : k == Kind::kSkewed ? 0x202 : 0x303;
  return tag * 0xFEEDFACEBABECAFEull;
}

// `n` distinct ids uniform in [0, universe), sorted: a partial
// Fisher-Yates over the whole domain above 25% density, rejection
// sampling below (inputs.rs sorted_unique; the set used to reject does not
// change the draws).
std::vector<uint32_t> SortedUnique(SplitMix64& rng, size_t n, uint32_t universe) {
  n = std::min<size_t>(n, universe);
  std::vector<uint32_t> out;
  if (n == 0) return out;
  if (static_cast<double>(n) / static_cast<double>(universe) > 0.25) {
    std::vector<uint32_t> domain(universe);
    std::iota(domain.begin(), domain.end(), 0u);
    for (size_t i = 0; i < n; ++i) {
      const size_t j = i + static_cast<size_t>(rng.Next() % (domain.size() - i));
      std::swap(domain[i], domain[j]);
    }
    out.assign(domain.begin(), domain.begin() + static_cast<std::ptrdiff_t>(n));
  } else {
    std::vector<uint64_t> seen((universe + 63) / 64);
    out.reserve(n);
    while (out.size() < n) {
      const auto v = static_cast<uint32_t>(rng.Next() % universe);
      uint64_t& word = seen[v >> 6];
      const uint64_t bit = uint64_t{1} << (v & 63);
      if ((word & bit) == 0) {
        word |= bit;
        out.push_back(v);
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

uint32_t ScaleU32(uint32_t base, double scale) {
  return static_cast<uint32_t>(std::max(static_cast<double>(base) * scale, 64.0));
}

// inputs.rs gen_posting_set: the kind's K lists; `correctness` shrinks
// them ~10x as the workspace's battery does.
ListSet RustPostingSet(size_t k, Kind kind, SplitMix64& rng, bool correctness) {
  const double scale = correctness ? 0.1 : 1.0;
  ListSet lists;
  switch (kind) {
    case Kind::kBalanced: {
      const uint32_t universe = ScaleU32(1'000'000, scale);
      const size_t len = std::max<uint32_t>(universe / 100, 8);
      for (size_t i = 0; i < k; ++i) lists.push_back(SortedUnique(rng, len, universe));
      break;
    }
    case Kind::kSkewed: {
      const uint32_t universe = ScaleU32(500'000, scale);
      const size_t long_len = std::max<uint32_t>(universe / 20, 16);
      lists.push_back(SortedUnique(rng, correctness ? 5 : 50, universe));
      for (size_t i = 1; i < k; ++i) lists.push_back(SortedUnique(rng, long_len, universe));
      break;
    }
    case Kind::kDense: {
      const uint32_t universe = ScaleU32(10'000, scale);
      for (size_t i = 0; i < k; ++i) lists.push_back(SortedUnique(rng, universe / 2, universe));
      break;
    }
    case Kind::kSparse: {
      const uint32_t universe = ScaleU32(1'000'000, scale);
      for (size_t i = 0; i < k; ++i) {
        lists.push_back(SortedUnique(rng, correctness ? 4 : 10, universe));
      }
      break;
    }
    case Kind::kClustered: {
      const uint32_t universe = ScaleU32(100'000, scale);
      const uint32_t cluster_len = std::max<uint32_t>(universe / 100, 8) / 32;
      for (size_t i = 0; i < k; ++i) {
        std::vector<uint32_t> list;
        for (int c = 0; c < 32; ++c) {
          const uint32_t center = static_cast<uint32_t>(rng.Next()) % (universe - cluster_len);
          for (uint32_t d = 0; d < cluster_len; ++d) list.push_back(center + d);
        }
        std::sort(list.begin(), list.end());
        list.erase(std::unique(list.begin(), list.end()), list.end());
        lists.push_back(std::move(list));
      }
      break;
    }
    case Kind::kZipf:
      break;
  }
  return lists;
}

// Instances per Zipf combo: 128 like the workspace's, fewer when the lists
// are long (about 4M ids per combo), at least 8.
size_t ZipfInstances(const WorkloadSpec& w) {
  size_t ids = 0;
  for (uint32_t r : w.ranks) ids += data::ZipfDocFrequency(r);
  return std::clamp<size_t>((size_t{4} << 20) / std::max<size_t>(ids, 1), 8, 128);
}

}  // namespace

const char* KindName(Kind k) {
  static constexpr const char* kNames[] = {"balanced", "skewed",    "dense",
                                           "sparse",   "clustered", "zipf"};
  return kNames[static_cast<size_t>(k)];
}

// ---- Speed workloads ------------------------------------------------------

std::vector<WorkloadSpec> SpeedWorkloads(bool quick) {
  std::vector<WorkloadSpec> out;
  if (quick) {
    return {{2, Kind::kBalanced, {}}, {3, Kind::kSkewed, {}}, {2, Kind::kZipf, {100, 10000}}};
  }
  for (size_t k : {2, 3, 5}) {
    for (Kind kind : {Kind::kBalanced, Kind::kSkewed, Kind::kDense}) out.push_back({k, kind, {}});
  }
  // Lance-like conjunctions: pairs of terms from common to rare (length
  // ratios 2.4x to 42,000x), two similar mid-frequency terms, a triple.
  const std::vector<std::vector<uint32_t>> zipf = {
      {1, 10}, {10, 100}, {300, 301}, {100, 10000}, {1, 3000}, {1, 100000}, {10, 100, 1000}};
  for (const auto& ranks : zipf) out.push_back({ranks.size(), Kind::kZipf, ranks});
  return out;
}

std::string ShapeName(const WorkloadSpec& w) {
  std::string s = "(K=" + std::to_string(w.lists);
  for (size_t i = 0; i < w.ranks.size(); ++i) {
    s += (i == 0 ? ",r" : "+r") + std::to_string(w.ranks[i]);
  }
  return s + ")";
}

std::string DistributionName(const WorkloadSpec& w) { return KindName(w.kind); }

std::shared_ptr<const Instances> SpeedInstances(const WorkloadSpec& w) {
  const std::string key = "posting-intersect " + ShapeName(w) + " " + KindName(w.kind);
  return CachedData<Instances>(key, [&] {
    Instances in;
    if (w.kind == Kind::kZipf) {
      SplitMix64 rng(DeriveSeed(kRustSpeedSeed, key.c_str()));
      const size_t count = ZipfInstances(w);
      for (size_t i = 0; i < count; ++i) {
        ListSet set;
        for (uint32_t r : w.ranks)
          set.push_back(SortedUnique(rng, data::ZipfDocFrequency(r), 1'000'000));
        in.sets.push_back(std::move(set));
      }
    } else {
      // The workspace's stream: one generator per combo, 128 instances.
      SplitMix64 rng(MixSeeds({kRustSpeedSeed, ShapeHash(w.lists), DistHash(w.kind)}));
      for (size_t i = 0; i < 128; ++i) {
        in.sets.push_back(RustPostingSet(w.lists, w.kind, rng, false));
      }
    }
    in.shape.lists = w.lists;
    double ids = 0.0;
    for (const ListSet& set : in.sets) {
      std::vector<List> view;
      for (const auto& l : set) {
        view.push_back({l.data(), l.size()});
        in.shape.max_length = std::max(in.shape.max_length, l.size());
        ids += static_cast<double>(l.size());
      }
      in.result_room = std::max(in.result_room, std::min(set[0].size(), set[1].size()));
      in.views.push_back(std::move(view));
    }
    in.mean_ids = ids / static_cast<double>(in.sets.size());
    return in;
  });
}

// ---- Battery ---------------------------------------------------------------

namespace {

const char* EdgeName(Edge e) {
  static constexpr const char* kNames[] = {"",          "one-empty",      "all-empty", "disjoint",
                                           "identical", "single-overlap", "single",    "nested",
                                           "runs",      "extreme-skew",   "high-ids",  "small"};
  return kNames[static_cast<size_t>(e)];
}

ListSet EdgeSet(const BatteryCase& c, SplitMix64& rng) {
  const size_t k = c.lists;
  ListSet s(k);
  switch (c.edge) {
    case Edge::kNone:
      return RustPostingSet(k, c.kind, rng, true);
    case Edge::kOneEmpty:
      for (size_t i = 0; i < k; ++i) s[i] = SortedUnique(rng, 100, 10'000);
      s[rng.Below(k)].clear();
      break;
    case Edge::kAllEmpty:
      break;
    case Edge::kDisjoint:
      for (size_t i = 0; i < k; ++i) {
        for (uint32_t v = static_cast<uint32_t>(i % 2); v < 2000; v += 2) s[i].push_back(v);
      }
      break;
    case Edge::kIdentical: {
      const std::vector<uint32_t> one = SortedUnique(rng, 1000, 5000);
      for (auto& l : s) l = one;
      break;
    }
    case Edge::kSingleOverlap:
      for (size_t i = 0; i < k; ++i) {
        // Disjoint residues mod k, plus 4242 in every list.
        for (uint32_t v = static_cast<uint32_t>(i); v < 9000; v += static_cast<uint32_t>(k)) {
          if (v != 4242) s[i].push_back(v);
        }
        s[i].push_back(4242);
        std::sort(s[i].begin(), s[i].end());
      }
      break;
    case Edge::kSingle:
      for (auto& l : s) l = {static_cast<uint32_t>(rng.Below(3))};
      break;
    case Edge::kNested:
      s[0] = SortedUnique(rng, 4000, 20'000);
      for (size_t i = 1; i < k; ++i) {
        for (uint32_t v : s[i - 1]) {
          if (rng.Below(4) != 0) s[i].push_back(v);
        }
      }
      break;
    case Edge::kRuns:
      for (size_t i = 0; i < k; ++i) {
        for (uint32_t run = 0; run < 40; ++run) {
          const uint32_t start = run * 300 + static_cast<uint32_t>(rng.Below(50));
          for (uint32_t d = 0; d < 100 + rng.Below(100); ++d) s[i].push_back(start + d);
        }
      }
      break;
    case Edge::kExtremeSkew:
      s[0] = SortedUnique(rng, 1 + rng.Below(3), 200'000);
      for (size_t i = 1; i < k; ++i) s[i] = SortedUnique(rng, 200'000 - 1000 * i, 200'000);
      break;
    case Edge::kHighIds:
      // The top of the u32 range: 0xFFFFFFFF is in every list.
      for (size_t i = 0; i < k; ++i) {
        std::vector<uint32_t> low = SortedUnique(rng, 3000, 6000);
        if (low.empty() || low[0] != 0) low.insert(low.begin(), 0);
        for (auto it = low.rbegin(); it != low.rend(); ++it) s[i].push_back(0xFFFFFFFFu - *it);
      }
      break;
    case Edge::kSmall:
      for (auto& l : s) l = SortedUnique(rng, rng.Below(41), 64);
      break;
  }
  return s;
}

}  // namespace

std::vector<BatteryCase> Battery(bool quick) {
  std::vector<BatteryCase> out;
  auto add = [&](size_t k, Kind kind, Edge edge, size_t misalign) {
    std::string name =
        "K=" + std::to_string(k) + " " + (edge == Edge::kNone ? KindName(kind) : EdgeName(edge));
    if (misalign != 0) name += " misaligned+" + std::to_string(misalign);
    out.push_back({name, k, kind, edge, misalign});
  };
  for (size_t k : {2, 3, 5}) {
    for (Kind kind :
         {Kind::kBalanced, Kind::kSkewed, Kind::kDense, Kind::kSparse, Kind::kClustered}) {
      add(k, kind, Edge::kNone, 0);
    }
  }
  const Edge edges[] = {Edge::kOneEmpty,      Edge::kAllEmpty, Edge::kDisjoint, Edge::kIdentical,
                        Edge::kSingleOverlap, Edge::kSingle,   Edge::kNested,   Edge::kRuns,
                        Edge::kExtremeSkew,   Edge::kHighIds,  Edge::kSmall};
  for (Edge e : edges) {
    for (size_t k : {1, 2, 3, 8}) {
      if (quick && k == 8) continue;
      add(k, Kind::kBalanced, e, 0);
    }
  }
  const size_t small_cases = quick ? 8 : 48;
  for (size_t i = 0; i < small_cases; ++i) {
    add(2 + i % 3, Kind::kBalanced, Edge::kSmall, 0);
    out.back().name += " #" + std::to_string(i);  // its own name: its own seed
  }
  add(2, Kind::kBalanced, Edge::kNone, 1);
  add(3, Kind::kDense, Edge::kNone, 3);
  add(2, Kind::kSkewed, Edge::kNone, 1);
  add(4, Kind::kBalanced, Edge::kHighIds, 1);
  return out;
}

ListSet DrawCase(const BatteryCase& c, uint64_t seed) {
  SplitMix64 rng(seed);
  return EdgeSet(c, rng);
}

}  // namespace lar::posting_intersect
