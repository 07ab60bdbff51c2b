// fts-bm25 workload and battery generators.
#include "targets/fts-bm25/inputs.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "data/fts_corpus.h"
#include "base/prng.h"
#include "harness/slot_combo.h"

namespace lar::fts_bm25 {
namespace {

// `count` distinct doc ids of [0, docs), ascending: a bitmap of the chosen
// (or, above half, of the rejected) ids, then one scan.
std::vector<uint32_t> SampleDocs(SplitMix64& rng, size_t count, size_t docs) {
  count = std::min(count, docs);
  const bool invert = count > docs / 2;
  std::vector<uint64_t> bits((docs + 63) / 64, 0);
  for (size_t picked = 0; picked < (invert ? docs - count : count);) {
    const uint64_t d = rng.Below(docs);
    uint64_t& word = bits[d / 64];
    const uint64_t bit = uint64_t{1} << (d % 64);
    if ((word & bit) == 0) {
      word |= bit;
      ++picked;
    }
  }
  std::vector<uint32_t> out;
  out.reserve(count);
  for (size_t d = 0; d < docs; ++d) {
    if (((bits[d / 64] >> (d % 64)) & 1) != static_cast<uint64_t>(invert)) {
      out.push_back(static_cast<uint32_t>(d));
    }
  }
  return out;
}

// A term frequency in a document of `len` tokens that holds the term:
// Poisson(len * p) conditioned on >= 1 (inverse CDF), at most len.
uint32_t DrawFreq(SplitMix64& rng, uint32_t len, double p) {
  const double lambda = static_cast<double>(len) * p;
  const double zero = std::exp(-lambda);
  double u = zero + rng.Uniform01() * (1.0 - zero);
  double prob = zero, cdf = zero;
  uint32_t k = 0;
  while (cdf < u && k < len) {
    ++k;
    prob *= lambda / k;
    cdf += prob;
  }
  return std::max<uint32_t>(k, 1);
}

uint32_t LogNormalLength(SplitMix64& rng) {
  const double len = std::exp(std::log(60.0) + rng.Normal());
  return static_cast<uint32_t>(std::clamp(std::llround(len), 1LL, 10'000LL));
}

std::shared_ptr<const Corpus> CorpusOf(size_t docs, Lengths lengths) {
  const std::string key = "fts-bm25 corpus " + std::to_string(docs) + " " + LengthsName(lengths);
  return CachedData<Corpus>(key, [&] {
    Corpus c;
    SplitMix64 rng(DeriveSeed(0xB425C0905ull, key.c_str()));
    c.num_tokens.resize(docs);
    uint64_t total = 0;
    for (uint32_t& len : c.num_tokens) {
      len = lengths == Lengths::kUniform ? static_cast<uint32_t>(1 + rng.Below(100))
                                         : LogNormalLength(rng);
      total += len;
    }
    // Lance: both converted to f32 before the division.
    c.avgdl = static_cast<float>(total) / static_cast<float>(docs);
    return c;
  });
}

}  // namespace

const char* LengthsName(Lengths l) {
  return l == Lengths::kUniform ? "uniform-dl" : "lognormal-dl";
}

std::vector<WorkloadSpec> SpeedWorkloads(bool quick) {
  constexpr size_t kM = 1'000'000;
  if (quick) {
    return {{kM, Lengths::kUniform, 1000}, {kM, Lengths::kLogNormal, 10000}};
  }
  std::vector<WorkloadSpec> out;
  // Lance's benchmark corpus, from the most common term (936k postings) to
  // the rarest (22).
  for (uint32_t rank : {1u, 10u, 100u, 1000u, 10000u, 99997u}) {
    out.push_back({kM, Lengths::kUniform, rank});
  }
  // Heavy-tailed lengths, and ten times the documents: num_tokens (40 MB)
  // leaves the caches, so the length gather changes regime.
  out.push_back({kM, Lengths::kLogNormal, 10});
  out.push_back({kM, Lengths::kLogNormal, 1000});
  out.push_back({10 * kM, Lengths::kUniform, 100});
  out.push_back({10 * kM, Lengths::kUniform, 10000});
  return out;
}

std::string ShapeName(const WorkloadSpec& w) {
  return "(N=" + std::to_string(w.docs / 1'000'000) + "M,r" + std::to_string(w.rank) +
         ",df=" + std::to_string(data::ZipfDocFrequency(w.rank, w.docs)) + ")";
}

SpeedData BuildSpeedData(const WorkloadSpec& w) {
  SpeedData d;
  d.spec = w;
  d.corpus = CorpusOf(w.docs, w.lengths);
  const std::string key = "fts-bm25 terms " + ShapeName(w) + " " + LengthsName(w.lengths);
  d.terms = CachedData<std::vector<Term>>(key, [&] {
    std::vector<Term> terms(kTermsPerCombo);
    SplitMix64 rng(DeriveSeed(0x7E125ull, key.c_str()));
    for (size_t t = 0; t < kTermsPerCombo; ++t) {
      const auto rank = static_cast<uint32_t>(w.rank + t);
      const double p = data::ZipfTermProbability(rank);
      Term& term = terms[t];
      term.doc_ids = SampleDocs(rng, data::ZipfDocFrequency(rank, w.docs), w.docs);
      term.freqs.resize(term.doc_ids.size());
      for (size_t i = 0; i < term.doc_ids.size(); ++i) {
        term.freqs[i] = DrawFreq(rng, d.corpus->num_tokens[term.doc_ids[i]], p);
      }
      term.qw = reference::QueryWeight(term.doc_ids.size(), w.docs);
    }
    return terms;
  });
  for (const Term& t : *d.terms) d.max_postings = std::max(d.max_postings, t.doc_ids.size());
  return d;
}

// ---- Battery ---------------------------------------------------------------

std::vector<BatteryCase> Battery(bool quick) {
  const std::vector<size_t> sizes =
      quick ? std::vector<size_t>{0, 1, 15, 17, 128, 300}
            : std::vector<size_t>{0,  1,  2,  3,  7,  8,  9,   15,  16,  17,
                                  31, 32, 33, 63, 64, 65, 127, 128, 129, 1000};
  const Freqs freqs[] = {Freqs::kTypical, Freqs::kOne, Freqs::kHuge};
  const DocLengths lengths[] = {DocLengths::kTypical, DocLengths::kZero, DocLengths::kHuge,
                                DocLengths::kLogNormal};
  const Avgdl avgdls[] = {Avgdl::kTypical, Avgdl::kHalf, Avgdl::kTiny, Avgdl::kSubnormal,
                          Avgdl::kHuge};
  const Weight weights[] = {Weight::kIdf, Weight::kZero, Weight::kNegative, Weight::kLarge};
  std::vector<BatteryCase> out;
  // Every combination of the value kinds, each at a rotating size.
  size_t at = 0;
  for (Freqs f : freqs) {
    for (DocLengths l : lengths) {
      for (Avgdl a : avgdls) {
        for (Weight q : weights) {
          if (quick && at % 4 != 0) {
            ++at;
            continue;
          }
          const size_t n = sizes[at % sizes.size()];
          static constexpr const char* kF[] = {"typical", "1", "huge"};
          static constexpr const char* kL[] = {"typical", "0", "huge", "lognormal"};
          static constexpr const char* kA[] = {"50.5", "0.5", "1e-30", "1e-45", "1e30"};
          static constexpr const char* kQ[] = {"idf", "0", "negative", "1e30"};
          const std::string name = "n=" + std::to_string(n) + " freq=" + kF[static_cast<int>(f)] +
                                   " dl=" + kL[static_cast<int>(l)] +
                                   " avgdl=" + kA[static_cast<int>(a)] +
                                   " qw=" + kQ[static_cast<int>(q)];
          out.push_back({name, n, 1000, f, l, a, q, at % 3 == 0, 0});
          ++at;
        }
      }
    }
  }
  // Every size with Lance-like values.
  for (size_t n : sizes) {
    out.push_back({"typical n=" + std::to_string(n), n, 5000, Freqs::kTypical, DocLengths::kTypical,
                   Avgdl::kTypical, Weight::kIdf, false, 0});
  }
  out.push_back({"one document", 64, 1, Freqs::kTypical, DocLengths::kTypical, Avgdl::kTypical,
                 Weight::kIdf, false, 0});
  out.push_back({"ids near 2^20", 200, 1 << 20, Freqs::kHuge, DocLengths::kHuge, Avgdl::kTiny,
                 Weight::kIdf, true, 0});
  out.push_back({"misaligned +1", 301, 4000, Freqs::kTypical, DocLengths::kLogNormal,
                 Avgdl::kTypical, Weight::kIdf, false, 1});
  out.push_back({"misaligned +3", 129, 4000, Freqs::kHuge, DocLengths::kHuge, Avgdl::kHalf,
                 Weight::kNegative, true, 3});
  return out;
}

Problem DrawCase(const BatteryCase& c, uint64_t seed) {
  SplitMix64 rng(seed);
  Problem p;
  static constexpr uint32_t kHugeValues[] = {0xFFFFFFFFu, 0x80000005u, 16777217u,
                                             16777219u,   0x7FFFFFFFu, 0};
  p.num_tokens.resize(c.docs);
  for (uint32_t& len : p.num_tokens) {
    switch (c.lengths) {
      case DocLengths::kTypical:
        len = static_cast<uint32_t>(1 + rng.Below(100));
        break;
      case DocLengths::kZero:
        len = 0;
        break;
      case DocLengths::kHuge:
        len = rng.Below(2) == 0 ? kHugeValues[rng.Below(std::size(kHugeValues))]
                                : static_cast<uint32_t>(rng.Next());
        break;
      case DocLengths::kLogNormal:
        len = LogNormalLength(rng);
        break;
    }
  }
  // Ids near the top of [0, docs) when there are many docs.
  const size_t low = c.docs > 4096 ? c.docs - 4096 : 0;
  for (size_t i = 0; i < c.n; ++i) {
    p.doc_ids.push_back(static_cast<uint32_t>(low + rng.Below(c.docs - low)));
    switch (c.freqs) {
      case Freqs::kTypical:
        p.freqs.push_back(static_cast<uint32_t>(1 + rng.Below(20)));
        break;
      case Freqs::kOne:
        p.freqs.push_back(1);
        break;
      case Freqs::kHuge:
        p.freqs.push_back(rng.Below(2) == 0 ? kHugeValues[rng.Below(5)]
                                            : static_cast<uint32_t>(rng.Next() | 1));
        break;
    }
  }
  if (!c.shuffled_ids) std::sort(p.doc_ids.begin(), p.doc_ids.end());
  static constexpr float kAvgdl[] = {50.5f, 0.5f, 1e-30f, 1e-45f, 1e30f};
  p.avgdl = kAvgdl[static_cast<size_t>(c.avgdl)];
  switch (c.weight) {
    case Weight::kIdf:
      p.qw = reference::QueryWeight(1 + rng.Below(c.docs), c.docs);
      break;
    case Weight::kZero:
      p.qw = 0.0f;
      break;
    case Weight::kNegative:
      p.qw = -0.3f - static_cast<float>(rng.Uniform01());
      break;
    case Weight::kLarge:
      p.qw = 1e30f;
      break;
  }
  return p;
}

}  // namespace lar::fts_bm25
