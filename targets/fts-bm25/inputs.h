// fts-bm25 inputs: the speed workloads (posting lists of Zipf-ranked terms
// in Lance's FTS benchmark corpus, 1M documents of 1..100 tokens, plus a
// heavy-tailed log-normal corpus and a 10M-document one) and the
// correctness battery (freq 1 and huge, document length 0 and huge, tiny,
// subnormal and huge avgdl, zero and negative query weights, every block
// tail, misaligned pointers). Immutable for agents.
#ifndef LAR_TARGETS_FTS_BM25_INPUTS_H_
#define LAR_TARGETS_FTS_BM25_INPUTS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "targets/fts-bm25/fts_bm25.h"

namespace lar::fts_bm25 {

// ---- Speed workloads ------------------------------------------------------

enum class Lengths {
  kUniform,    // 1..100 tokens, Lance's benchmark (avgdl ~ 50.5)
  kLogNormal,  // median 60, sigma 1, clamped to 1..10,000 (avgdl ~ 100)
};
const char* LengthsName(Lengths l);

struct WorkloadSpec {
  size_t docs;  // N: 1M or 10M
  Lengths lengths;
  uint32_t rank;  // the first of kTermsPerCombo consecutive Zipf ranks
};

// Terms per combo: slots rotate through them (different lists, weights).
inline constexpr size_t kTermsPerCombo = 4;
inline constexpr size_t kSlots = 8;

std::vector<WorkloadSpec> SpeedWorkloads(bool quick);
std::string ShapeName(const WorkloadSpec& w);

// DocSet::num_tokens and its average as Lance computes it:
// f32(total tokens) / f32(docs).
struct Corpus {
  std::vector<uint32_t> num_tokens;
  float avgdl = 0.0f;
};

// One term's posting list, decoded: ascending doc ids and their term
// frequencies, and its query weight idf(df, N).
struct Term {
  std::vector<uint32_t> doc_ids;
  std::vector<uint32_t> freqs;
  float qw = 0.0f;
};

struct SpeedData {
  WorkloadSpec spec;
  std::shared_ptr<const Corpus> corpus;
  std::shared_ptr<const std::vector<Term>> terms;  // kTermsPerCombo
  size_t max_postings = 0;
};
SpeedData BuildSpeedData(const WorkloadSpec& w);

// ---- Battery ---------------------------------------------------------------

enum class Freqs { kTypical, kOne, kHuge };
enum class DocLengths { kTypical, kZero, kHuge, kLogNormal };
enum class Avgdl { kTypical, kHalf, kTiny, kSubnormal, kHuge };
enum class Weight { kIdf, kZero, kNegative, kLarge };

struct BatteryCase {
  std::string name;
  size_t n;
  size_t docs;  // num_tokens entries; ids < docs
  Freqs freqs;
  DocLengths lengths;
  Avgdl avgdl;
  Weight weight;
  bool shuffled_ids = false;  // ids in no order
  size_t misalign = 0;        // elements added to every pointer
};

std::vector<BatteryCase> Battery(bool quick);

struct Problem {
  std::vector<uint32_t> doc_ids, freqs, num_tokens;
  float qw = 0.0f;
  float avgdl = 0.0f;
};
Problem DrawCase(const BatteryCase& c, uint64_t seed);

}  // namespace lar::fts_bm25

#endif  // LAR_TARGETS_FTS_BM25_INPUTS_H_
