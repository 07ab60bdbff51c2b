// topk-merge kernels: THE AGENT'S FILE. Everything about speed lives here; the
// contract is targets/topk-merge/topk_merge.h, the rules are program.md. Edit between
// the MUTABLE fences; the dispatch boilerplate outside them stays as is.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "targets/topk-merge/kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "targets/topk-merge/topk_merge.h"

// ==== BEGIN MUTABLE: prepared state (compiled once) ======================
#ifndef LAR_TARGETS_TOPK_MERGE_KERNELS_STATE_
#define LAR_TARGETS_TOPK_MERGE_KERNELS_STATE_
namespace lar::topk_merge {

struct State final : Prepared {
  Shape shape;
};

}  // namespace lar::topk_merge
#endif  // LAR_TARGETS_TOPK_MERGE_KERNELS_STATE_
// ==== END MUTABLE ========================================================

HWY_BEFORE_NAMESPACE();
namespace lar::topk_merge {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// ==== BEGIN MUTABLE: per-ISA kernels =====================================

// Two vectors per iteration hide the latency of the dependent mul -> add;
// Mul and Add stay separate (no FMA) to match the reference bit for bit.
void RunImpl(Prepared& prepared, const float* HWY_RESTRICT x, float* HWY_RESTRICT y) {
  const State& st = static_cast<const State&>(prepared);
  const hn::ScalableTag<float> d;
  const size_t lanes = hn::Lanes(d);
  const auto a = hn::Set(d, st.shape.a);
  const auto b = hn::Set(d, st.shape.b);
  const size_t n = st.shape.n;
  size_t i = 0;
  for (; i + 2 * lanes <= n; i += 2 * lanes) {
    hn::StoreU(hn::Add(hn::Mul(a, hn::LoadU(d, x + i)), b), d, y + i);
    hn::StoreU(hn::Add(hn::Mul(a, hn::LoadU(d, x + i + lanes)), b), d, y + i + lanes);
  }
  for (; i < n; ++i) {
    const float ax = st.shape.a * x[i];
    y[i] = ax + st.shape.b;
  }
}

// ==== END MUTABLE ========================================================

int64_t KernelTargetImpl() { return HWY_TARGET; }

}  // namespace HWY_NAMESPACE
}  // namespace lar::topk_merge
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace lar::topk_merge {

HWY_EXPORT(RunImpl);
HWY_EXPORT(KernelTargetImpl);

// ==== BEGIN MUTABLE: untimed preparation ================================
std::unique_ptr<Prepared> Prepare(const Shape& shape) {
  auto st = std::make_unique<State>();
  st->shape = shape;
  return st;
}
// ==== END MUTABLE ========================================================

void Run(Prepared& prepared, const float* HWY_RESTRICT x, float* HWY_RESTRICT y) {
  HWY_DYNAMIC_DISPATCH(RunImpl)(prepared, x, y);
}

int64_t KernelTarget() { return HWY_DYNAMIC_DISPATCH(KernelTargetImpl)(); }

}  // namespace lar::topk_merge
#endif  // HWY_ONCE
