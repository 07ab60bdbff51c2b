// fts-bm25: the kernel contract. Lance's BM25 scoring of one query term
// over its posting list: per posting, out = qw * doc_weight(freq,
// num_tokens[doc_id]) in f32, with scorer.rs's exact operation order
// (PostingIterator::score in wand.rs; the newest Lance's bulk_bm25_tf
// batches it per decoded block). One timed operation scores one term's
// whole posting list, block by block (128 postings, the last partial).
// kernels.cc implements the first block (the agent's file); reference.cc
// the second (immutable, scorer.rs's order).
#ifndef LAR_TARGETS_FTS_BM25_FTS_BM25_H_
#define LAR_TARGETS_FTS_BM25_FTS_BM25_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <hwy/base.h>

#include "harness/target.h"

namespace lar::fts_bm25 {

// scorer.rs: K1 = 1.2, B = 0.75, f32.
inline constexpr float kK1 = 1.2f;
inline constexpr float kB = 0.75f;
// Postings per block (BLOCK_SIZE, = BitPacker4x::BLOCK_LEN).
inline constexpr size_t kBlockSize = 128;

// The formula, all f32, IEEE round-to-nearest, no fused multiply-add,
// evaluated exactly in this order (scorer.rs, docs/lance/query.md s1.1):
//   dlf  = f32(dl)                         (u32 -> f32, rounds above 2^24)
//   norm = K1 * ((1 - B) + (B * dlf) / avgdl)
//   f    = f32(freq)
//   w    = ((K1 + 1) * f) / (f + norm)
//   out  = qw * w
// (1 - B) = 0.25 and (K1 + 1) = 2.2f are rounded to f32 once.
//
// Input assumptions (the verify battery covers each):
// - n >= 0 (a block: 1..128 in Lance; any n here); pointers have any
//   4-byte alignment.
// - doc_ids[i] < num_docs <= 2^31 (partition-local doc ids: an index into
//   num_tokens), in any order (postings are ascending; the kernel must not
//   rely on it).
// - freqs[i]: any u32 (Lance stores >= 1; huge values round in f32).
// - num_tokens[d]: any u32, 0 included (dl >= freq for real documents,
//   not assumed).
// - qw: any finite f32 (idf >= 0 normally; negative with stale stats).
//   avgdl: finite, > 0 (tiny and subnormal included: B * dl / avgdl may
//   overflow to inf, and then the weight is 0).
// - out: n floats, written once each; nothing past out + n.
// Results are compared bit for bit: the kernel must use IEEE division (no
// reciprocal approximations), no FMA, and the order above.

// ---- kernels.cc: the agent's file --------------------------------------
// One block (timed, called once per block of a list). Must not allocate
// or throw.
void ScoreBlock(float qw, float avgdl, const uint32_t* HWY_RESTRICT doc_ids,
                const uint32_t* HWY_RESTRICT freqs, size_t n,
                const uint32_t* HWY_RESTRICT num_tokens, float* HWY_RESTRICT out);
// The HWY_TARGET this file's dispatch selects now.
int64_t KernelTarget();

// ---- reference.cc: scorer.rs, scalar --------------------------------------
namespace reference {
void ScoreBlock(float qw, float avgdl, const uint32_t* doc_ids, const uint32_t* freqs, size_t n,
                const uint32_t* num_tokens, float* out);
// idf(df, N) = ln(((N - df) + 0.5) / (df + 0.5) + 1) in f32 (logf), 0 when
// df = 0: the query weight the host computes once per term.
float QueryWeight(uint64_t df, uint64_t num_docs);
}  // namespace reference

// Any implementation of the contract (the shipped one, a variant build of
// another version of kernels.cc, or a broken one in the test zoo).
struct KernelApi {
  void (*score_block)(float, float, const uint32_t*, const uint32_t*, size_t, const uint32_t*,
                      float*);
  int64_t (*kernel_target)();
};

inline KernelApi ShippedKernel() { return {&ScoreBlock, &KernelTarget}; }

// The registration of fts-bm25 (target.cc) around any kernel implementation.
Target MakeTarget(const std::string& id, const KernelApi& api);

}  // namespace lar::fts_bm25

#endif  // LAR_TARGETS_FTS_BM25_FTS_BM25_H_
