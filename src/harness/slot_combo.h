// SlotCombo: the ComboState most targets need, as a template over a
// target's traits. Fixed data (built untimed, cached), a ring of input slots
// redrawn after use, and the outputs of the candidate, the reference and
// (in a trial) the best kept kernel. The harness still sees only ComboState;
// this is a convenience for targets' glue (target.cc), which hands its
// traits to MakeSlotTarget (target_sdk.h).
//
// Traits T provides:
//   using Api;         // the target's KernelApi (function pointers)
//   using Data;        // untimed inputs of one combo; copyable
//   using Input;       // one slot's input; copyable
//   using Scratch;     // buffers every operation overwrites (per kernel)
//   using Result;      // one operation's answer, kept per slot
//   using Source;      // draws inputs
//   using PreparedPtr; // what api.prepare returns
//   static constexpr size_t kSlots;
//   static Source MakeSource(const Data&, uint64_t seed);
//   static Input MakeInput(const Data&);
//   static void Draw(const Data&, Source&, Input*);
//   static Scratch MakeScratch(const Data&);
//   static Result MakeResult(const Data&);
//   static PreparedPtr Prepare(const Api&, const Data&);
//   static void RunKernel(const Api&, PreparedPtr&, const Data&, const Input&,
//                         Scratch&, Result*);
//   static void RunReference(const Data&, const Input&, Scratch&, Result*);
//   // got vs ref for one slot; `ref_scratch` / `got_scratch` are null unless
//   // that side's last operation was on this slot (then full arrays can be
//   // compared). `who` prefixes field names ("best kernel ").
//   static std::optional<Mismatch> Check(const Data&, const Input&,
//       const Result& ref, const Scratch* ref_scratch,
//       const Result& got, const Scratch* got_scratch, const std::string& who);
//   static double BytesPerOp(const Data&);
// and optionally, for decode targets (the memory-speed anchor,
// ComboState::CopyOutput): memcpy of the output bytes one operation on
// `input` writes, from the candidate's scratch into the reference's;
// `ref` is the reference's last result on the slot, for outputs whose size
// only the decode knows; returns the bytes.
//   static size_t CopyOutput(const Data&, const Input&, const Result& ref,
//                            const Scratch& from, Scratch* to);
#ifndef LAR_HARNESS_SLOT_COMBO_H_
#define LAR_HARNESS_SLOT_COMBO_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/prng.h"
#include "harness/target.h"

namespace lar {

// A process-wide cache of combo data by key: building a combo's data (a
// k-means, an encoding) can take seconds, and a bench needs the same data in
// every child process and for every kernel it times. The bench builds it
// once in the parent (Combo::preload) and the children inherit it.
template <class Data>
std::shared_ptr<const Data> CachedData(const std::string& key, const std::function<Data()>& build) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const Data>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, std::make_shared<const Data>(build())).first;
  return it->second;
}

template <class T>
class SlotCombo final : public ComboState {
 public:
  using Api = typename T::Api;

  SlotCombo(const typename T::Data& data, uint64_t seed, Api api, std::optional<Api> best)
      : api_(api),
        best_api_(best),
        data_(data),
        source_(T::MakeSource(data_, seed)),
        cand_(data_),
        ref_(data_),
        best_(data_) {
    for (size_t i = 0; i < T::kSlots; ++i) {
      inputs_.push_back(T::MakeInput(data_));
      Refresh(i);
    }
    Prepare();
  }

  size_t slots() const override { return T::kSlots; }

  void Run(Impl impl, size_t i) override {
    switch (impl) {
      case Impl::kCandidate:
        RunKernel(api_, prepared_, &cand_, i);
        break;
      case Impl::kBest:
        RunKernel(*best_api_, best_prepared_, &best_, i);
        break;
      case Impl::kReference:
        T::RunReference(data_, inputs_[i], ref_.scratch, &ref_.results[i]);
        ref_.last = i;
        break;
    }
  }

  std::optional<Mismatch> Check(size_t i) override {
    // Both kernels' outputs are read, in alternating order, so the check
    // leaves neither kernel's buffers warmer than the other's.
    const bool best_first = best_api_ && (checks_++ % 2 == 1);
    if (best_first) {
      if (auto m = CheckSide(best_, i, "best kernel ")) return m;
    }
    if (auto m = CheckSide(cand_, i, "")) return m;
    if (best_api_ && !best_first) return CheckSide(best_, i, "best kernel ");
    return std::nullopt;
  }

  void Refresh(size_t i) override { T::Draw(data_, source_, &inputs_[i]); }

  void Relocate(uint64_t layout_seed) override {
    // New buffers are made while the old ones still exist, so none can
    // take an old address. The order in which the candidate's, the
    // reference's and the best's buffers (and prepared states) are made,
    // and random spacers between them, come from `layout_seed`: in a fixed
    // order, every process would put the candidate's buffers in the same
    // place relative to the best's, and a placement bias between two
    // identical kernels would repeat in every replicate.
    SplitMix64 rng(layout_seed);
    std::vector<std::vector<char>> spacers;
    auto space = [&] { spacers.emplace_back(static_cast<size_t>(rng.Below(kMaxSpacer)) + 1); };
    space();
    typename T::Data data = data_;
    std::vector<typename T::Input> inputs = inputs_;
    Side* old[3] = {&cand_, &ref_, &best_};
    std::optional<Side> moved[3];
    int order[3] = {0, 1, 2};
    for (int i = 2; i > 0; --i) std::swap(order[i], order[rng.Below(static_cast<uint64_t>(i) + 1)]);
    for (int k : order) {
      space();
      moved[k].emplace(old[k]->Moved(data));
    }
    data_ = std::move(data);
    inputs_ = std::move(inputs);
    Prepare(rng.Below(2) == 1);
    for (int k = 0; k < 3; ++k) *old[k] = std::move(*moved[k]);
    spacers_ = std::move(spacers);
  }

  double bytes_per_op() const override { return T::BytesPerOp(data_); }

  size_t CopyOutput(size_t i) override {
    if constexpr (kHasCopy) {
      return T::CopyOutput(data_, inputs_[i], ref_.results[i], cand_.scratch, &ref_.scratch);
    } else {
      (void)i;
      return 0;
    }
  }

 private:
  struct Side {
    typename T::Scratch scratch;
    std::vector<typename T::Result> results;
    size_t last = static_cast<size_t>(-1);

    explicit Side(const typename T::Data& d)
        : scratch(T::MakeScratch(d)), results(T::kSlots, T::MakeResult(d)) {}
    // Fresh scratch, the same results, in new allocations.
    Side Moved(const typename T::Data& d) const {
      Side s(d);
      s.results = results;
      return s;
    }
  };

  // The candidate and the best both run through this one function, so the
  // glue around their kernels (T::RunKernel, a top-k selection for
  // instance) is the same instructions at the same address for both.
  // Inlined into Run's two cases it was two copies at different
  // alignments: pq-dot's candidate slot ran 2-7% slower than the best's
  // with identical kernels.
  [[gnu::noinline]] void RunKernel(const Api& api, typename T::PreparedPtr& prepared, Side* side,
                                   size_t i) {
    T::RunKernel(api, prepared, data_, inputs_[i], side->scratch, &side->results[i]);
    side->last = i;
  }

  // The candidate's prepared state first, or the best's.
  void Prepare(bool best_first = false) {
    if (best_first && best_api_) best_prepared_ = T::Prepare(*best_api_, data_);
    prepared_ = T::Prepare(api_, data_);
    if (!best_first && best_api_) best_prepared_ = T::Prepare(*best_api_, data_);
  }

  std::optional<Mismatch> CheckSide(const Side& side, size_t i, const std::string& who) {
    const bool ref_here = ref_.last == i;
    return T::Check(data_, inputs_[i], ref_.results[i], ref_here ? &ref_.scratch : nullptr,
                    side.results[i], ref_here && side.last == i ? &side.scratch : nullptr, who);
  }

  static constexpr bool kHasCopy = requires(
      const typename T::Data& d, const typename T::Input& in, const typename T::Result& ref,
      const typename T::Scratch& from, typename T::Scratch* to) {
    T::CopyOutput(d, in, ref, from, to);
  };
  Api api_;
  std::optional<Api> best_api_;
  typename T::Data data_;
  typename T::Source source_;
  std::vector<typename T::Input> inputs_;
  typename T::PreparedPtr prepared_, best_prepared_;
  Side cand_, ref_, best_;
  static constexpr uint64_t kMaxSpacer = uint64_t{1} << 16;
  uint64_t checks_ = 0;
  std::vector<std::vector<char>> spacers_;
};

}  // namespace lar

#endif  // LAR_HARNESS_SLOT_COMBO_H_
