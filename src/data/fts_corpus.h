// The corpus of Lance's own full-text-search benchmark
// (rust/lance-index/benches/inverted.rs; docs/lance/query.md s1.5): 1M
// documents of 1..100 tokens (uniform), a 100,000-term vocabulary drawn by
// Zipf(s = 1.1). Posting-list targets size their lists from it, so their
// workloads are the lists Lance's benchmark queries read.
#ifndef LAR_DATA_FTS_CORPUS_H_
#define LAR_DATA_FTS_CORPUS_H_

#include <cstddef>
#include <cstdint>

namespace lar::data {

inline constexpr size_t kFtsDocs = 1'000'000;
inline constexpr size_t kFtsVocabulary = 100'000;
inline constexpr double kFtsZipfExponent = 1.1;

// The probability that one token is the term of Zipf rank r (1-based).
double ZipfTermProbability(uint32_t rank);

// The expected document frequency of the term of rank r in `docs`
// documents of uniform length 1..100: rank 1 -> 935,778, rank 100 ->
// 41,750, rank 100,000 -> 22 at 1M documents.
size_t ZipfDocFrequency(uint32_t rank, size_t docs = kFtsDocs);

}  // namespace lar::data

#endif  // LAR_DATA_FTS_CORPUS_H_
