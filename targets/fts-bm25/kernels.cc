// fts-bm25 kernels: THE AGENT'S FILE. Everything about speed lives here; the
// contract is targets/fts-bm25/fts_bm25.h, the rules are program.md. Edit
// between the MUTABLE fences; the dispatch boilerplate outside them stays as is.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "targets/fts-bm25/kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "targets/fts-bm25/fts_bm25.h"

// ==== BEGIN MUTABLE: prepared state (compiled once) ======================
#ifndef LAR_TARGETS_FTS_BM25_KERNELS_STATE_
#define LAR_TARGETS_FTS_BM25_KERNELS_STATE_
namespace lar::fts_bm25 {

// One posting in scalar code, in the contract's order (the tail of a
// block). -ffp-contract=off keeps each operation rounded on its own.
inline float ScorePosting(float qw, float avgdl, uint32_t freq, uint32_t doc_tokens) {
  const float scaled = kB * static_cast<float>(doc_tokens);
  const float norm = kK1 * ((1.0f - kB) + scaled / avgdl);
  const float f = static_cast<float>(freq);
  return qw * (((kK1 + 1.0f) * f) / (f + norm));
}

}  // namespace lar::fts_bm25
#endif  // LAR_TARGETS_FTS_BM25_KERNELS_STATE_
// ==== END MUTABLE ========================================================

HWY_BEFORE_NAMESPACE();
namespace lar::fts_bm25 {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// ==== BEGIN MUTABLE: per-ISA kernels =====================================

// u32 -> f32 rounded to nearest, as Rust's `as f32`: x86 before AVX-512
// converts only signed lanes, so the value is split in 16-bit halves, each
// converted exactly; hi * 65536 is exact too, and the one Add rounds the
// exact sum once, which is the correctly rounded result.
template <class DF, class VU>
HWY_INLINE hn::Vec<DF> U32ToF32(DF df, VU v) {
  const hn::RebindToSigned<DF> di;
  const hn::RebindToUnsigned<DF> du;
  const auto hi = hn::BitCast(di, hn::ShiftRight<16>(v));
  const auto lo = hn::BitCast(di, hn::And(v, hn::Set(du, 0xFFFFu)));
  return hn::Add(hn::Mul(hn::ConvertTo(df, hi), hn::Set(df, 65536.0f)), hn::ConvertTo(df, lo));
}

// One vector of postings: the gathered lengths, the norm, the weight, in
// the contract's order with IEEE Mul / Div / Add (no FMA, no reciprocal
// estimate), so every lane equals the reference bit for bit.
template <class DF>
HWY_INLINE hn::Vec<DF> ScoreVector(DF df, hn::Vec<DF> qw, hn::Vec<DF> avgdl,
                                   const uint32_t* HWY_RESTRICT doc_ids,
                                   const uint32_t* HWY_RESTRICT freqs,
                                   const int32_t* HWY_RESTRICT num_tokens) {
  const hn::RebindToSigned<DF> di;
  const hn::RebindToUnsigned<DF> du;
  // Doc ids are < 2^31 (contract), so they index as signed lanes.
  const auto ids = hn::BitCast(di, hn::LoadU(du, doc_ids));
  const auto dl = U32ToF32(df, hn::BitCast(du, hn::GatherIndex(di, num_tokens, ids)));
  const auto f = U32ToF32(df, hn::LoadU(du, freqs));
  const auto scaled = hn::Mul(hn::Set(df, kB), dl);
  const auto norm =
      hn::Mul(hn::Set(df, kK1), hn::Add(hn::Set(df, 1.0f - kB), hn::Div(scaled, avgdl)));
  const auto weight = hn::Div(hn::Mul(hn::Set(df, kK1 + 1.0f), f), hn::Add(f, norm));
  return hn::Mul(qw, weight);
}

// Two vectors per iteration: the gathers of the second overlap the
// divisions of the first.
template <class DF>
HWY_INLINE void ScoreWith(DF df, float qw, float avgdl, const uint32_t* HWY_RESTRICT doc_ids,
                          const uint32_t* HWY_RESTRICT freqs, size_t n,
                          const uint32_t* HWY_RESTRICT num_tokens, float* HWY_RESTRICT out) {
  const size_t lanes = hn::Lanes(df);
  const auto vqw = hn::Set(df, qw);
  const auto vavgdl = hn::Set(df, avgdl);
  const auto* tokens = reinterpret_cast<const int32_t*>(num_tokens);
  size_t i = 0;
  for (; i + 2 * lanes <= n; i += 2 * lanes) {
    const auto s0 = ScoreVector(df, vqw, vavgdl, doc_ids + i, freqs + i, tokens);
    const auto s1 = ScoreVector(df, vqw, vavgdl, doc_ids + i + lanes, freqs + i + lanes, tokens);
    hn::StoreU(s0, df, out + i);
    hn::StoreU(s1, df, out + i + lanes);
  }
  for (; i + lanes <= n; i += lanes) {
    hn::StoreU(ScoreVector(df, vqw, vavgdl, doc_ids + i, freqs + i, tokens), df, out + i);
  }
  for (; i < n; ++i) out[i] = ScorePosting(qw, avgdl, freqs[i], num_tokens[doc_ids[i]]);
}

// Short lists (a rare term: Lance's lists end with one partial block) in
// vectors of at most 8 lanes, so fewer postings fall to the scalar tail;
// long lists in full vectors.
void ScoreBlockImpl(float qw, float avgdl, const uint32_t* HWY_RESTRICT doc_ids,
                    const uint32_t* HWY_RESTRICT freqs, size_t n,
                    const uint32_t* HWY_RESTRICT num_tokens, float* HWY_RESTRICT out) {
  if (n < 64) {
    ScoreWith(hn::CappedTag<float, 8>(), qw, avgdl, doc_ids, freqs, n, num_tokens, out);
  } else {
    ScoreWith(hn::ScalableTag<float>(), qw, avgdl, doc_ids, freqs, n, num_tokens, out);
  }
}

// ==== END MUTABLE ========================================================

int64_t KernelTargetImpl() { return HWY_TARGET; }

}  // namespace HWY_NAMESPACE
}  // namespace lar::fts_bm25
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace lar::fts_bm25 {

HWY_EXPORT(ScoreBlockImpl);
HWY_EXPORT(KernelTargetImpl);

void ScoreBlock(float qw, float avgdl, const uint32_t* HWY_RESTRICT doc_ids,
                const uint32_t* HWY_RESTRICT freqs, size_t n,
                const uint32_t* HWY_RESTRICT num_tokens, float* HWY_RESTRICT out) {
  HWY_DYNAMIC_DISPATCH(ScoreBlockImpl)(qw, avgdl, doc_ids, freqs, n, num_tokens, out);
}

int64_t KernelTarget() { return HWY_DYNAMIC_DISPATCH(KernelTargetImpl)(); }

}  // namespace lar::fts_bm25
#endif  // HWY_ONCE
