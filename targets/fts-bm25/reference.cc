// fts-bm25 reference: a scalar port of Lance's BM25 scorer
// (rust/lance-index/src/scalar/inverted/scorer.rs, lance-format/lance @
// 1ba84bca; the same formula in all three pins of docs/lance/query.md):
// doc_weight(freq, doc_tokens) and query_weight * doc_weight as
// PostingIterator::score (wand.rs L342) evaluates them per posting, with
// the document length gathered from DocSet::num_tokens. f32 throughout,
// left to right; the build's -ffp-contract=off keeps every multiply and
// add separately rounded, as Rust does. Immutable for agents.
#include <cmath>

#include "targets/fts-bm25/fts_bm25.h"

namespace lar::fts_bm25::reference {
namespace {

// scorer.rs doc_norm: K1 * ((1 - B) + B * dl / avgdl), B * dl first.
float DocNorm(uint32_t doc_tokens, float avgdl) {
  const float scaled = kB * static_cast<float>(doc_tokens);
  return kK1 * ((1.0f - kB) + scaled / avgdl);
}

// scorer.rs doc_weight: ((K1 + 1) * f) / (f + doc_norm(dl)).
float DocWeight(uint32_t freq, uint32_t doc_tokens, float avgdl) {
  const float f = static_cast<float>(freq);
  return ((kK1 + 1.0f) * f) / (f + DocNorm(doc_tokens, avgdl));
}

}  // namespace

void ScoreBlock(float qw, float avgdl, const uint32_t* doc_ids, const uint32_t* freqs, size_t n,
                const uint32_t* num_tokens, float* out) {
  for (size_t i = 0; i < n; ++i) {
    out[i] = qw * DocWeight(freqs[i], num_tokens[doc_ids[i]], avgdl);
  }
}

float QueryWeight(uint64_t df, uint64_t num_docs) {
  if (df == 0) return 0.0f;
  const float n = static_cast<float>(df);
  const float total = static_cast<float>(num_docs);
  return std::log(((total - n) + 0.5f) / (n + 0.5f) + 1.0f);
}

}  // namespace lar::fts_bm25::reference
