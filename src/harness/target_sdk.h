// The target SDK: what every target's glue (targets/<id>/target.cc) would
// otherwise repeat, so that a target.cc keeps only what is its own (how to
// check a battery case, how a timed operation runs and is checked).
//
// - Misaligned<T>: a copy of an input at a misaligned address (kernels take
//   any alignment; the battery makes sure they do).
// - GuardedOutput<T>: an output followed by sentinel elements a kernel must
//   not touch, and its one CheckGuard for every element type (float,
//   double, uint32_t, uint8_t, ...: GuardSentinel); a SIMD tail that
//   overruns then shows up as a mismatch even without a sanitizer.
//   CheckOutput / CheckOutputWithin: the guard, then the values.
// - MakeSlotTarget<Traits>(spec, api): the Target struct (target.h) from the
//   target's description, battery and workloads, with the speed combos run
//   by SlotCombo<Traits> (slot_combo.h). The battery and workload closures,
//   the cast of the best kernel's and a variant's `const void*` to the
//   target's KernelApi, and kernel_api_size are written here once.
// - QuerySource: the query slots' source most combos share; TestOnly: a
//   target as the zoo registers it.
//
// A target.cc then reads:
//
//   Target MakeTarget(const std::string& id, const KernelApi& api) {
//     return MakeSlotTarget<Traits>(
//         {.id = id, .family = "vector", .unit = "query",
//          .lance_source = "...", .summary = "...",
//          .battery = &Battery, .prepare_case = &PrepareCase,
//          .workloads = &SpeedWorkloads,
//          .shape_name = [](const WorkloadSpec& w) { ... },
//          .distribution_name = [](const WorkloadSpec& w) { ... },
//          .data = [](const WorkloadSpec& w, uint64_t seed) { ... }},
//         api);
//   }
//
// Traits T: everything SlotCombo<T> needs, plus
//   using Case;      // one battery case (inputs.h's BatteryCase), with a
//                    // `name` (the case's name and the key of its seed)
//   using Workload;  // one speed workload (inputs.h's WorkloadSpec)
// and T::Api has `int64_t (*kernel_target)()`.
#ifndef LAR_HARNESS_TARGET_SDK_H_
#define LAR_HARNESS_TARGET_SDK_H_

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "data/vectors.h"
#include "harness/compare.h"
#include "base/prng.h"
#include "harness/slot_combo.h"
#include "harness/target.h"

namespace lar {

// ---- Battery helpers ----------------------------------------------------

// Sentinel elements after every guarded output: four AVX-512 vectors of
// floats (one 2048-bit SVE vector), so a tail that stores a whole vector
// too many lands in the guard.
inline constexpr size_t kGuardElements = 64;

// The value guard elements hold: for floats a quiet NaN whose payload no
// arithmetic on the battery's inputs produces; for integers a pattern far
// from any index, count or id (a byte guard still misses a stray 0xAD).
template <typename T>
T GuardSentinel() {
  if constexpr (std::is_same_v<T, float>) {
    return std::bit_cast<float>(uint32_t{0x7FC0DEADu});
  } else if constexpr (std::is_same_v<T, double>) {
    return std::bit_cast<double>(uint64_t{0x7FF8DEADDEADDEADull});
  } else {
    static_assert(std::is_integral_v<T>, "GuardSentinel: float, double or an integer type");
    if constexpr (sizeof(T) == 1) return static_cast<T>(0xADu);
    if constexpr (sizeof(T) == 2) return static_cast<T>(0xDEADu);
    if constexpr (sizeof(T) == 4) return static_cast<T>(0x7FC0DEADu);
    if constexpr (sizeof(T) == 8) return static_cast<T>(0xDEADDEADDEADDEADull);
  }
}

// Bitwise: a NaN sentinel equals itself, and a kernel that writes another
// NaN still counts as a write.
template <typename T>
bool IsSentinel(const T& value, const T& sentinel = GuardSentinel<T>()) {
  return std::memcmp(&value, &sentinel, sizeof(T)) == 0;
}

// An element as a Mismatch prints it: floats round-trip ("nan" for a NaN
// the kernel wrote), integers in decimal.
template <typename T>
std::string FormatElement(const T& value) {
  if constexpr (std::is_same_v<T, float>) {
    return FormatFloat(value);
  } else if constexpr (std::is_floating_point_v<T>) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.17g", static_cast<double>(value));
    return buf;
  } else {
    return std::to_string(value);
  }
}

// A copy of `src` starting `misalign` elements into its own allocation.
// One spare element keeps data() a valid pointer for an empty input.
template <typename T>
class Misaligned {
 public:
  Misaligned(const std::vector<T>& src, size_t misalign)
      : storage_(src.size() + misalign + 1), data_(storage_.data() + misalign) {
    std::copy(src.begin(), src.end(), data_);
  }
  // Movable (the buffer moves with data_ still in it), never copied: a
  // copy's data_ would point into the original.
  Misaligned(Misaligned&&) = default;
  Misaligned& operator=(Misaligned&&) = default;

  const T* data() const { return data_; }

 private:
  std::vector<T> storage_;
  T* data_;
};

// An output of `size` elements at `misalign` elements into its allocation,
// followed by kGuardElements sentinels. The output itself starts as
// sentinels too, so an element a kernel skips cannot pass for a result.
template <typename T>
class GuardedOutput {
 public:
  explicit GuardedOutput(size_t size, size_t misalign = 0, T sentinel = GuardSentinel<T>())
      : storage_(misalign + size + kGuardElements, sentinel),
        data_(storage_.data() + misalign),
        size_(size),
        sentinel_(sentinel) {}
  GuardedOutput(GuardedOutput&&) = default;  // as Misaligned
  GuardedOutput& operator=(GuardedOutput&&) = default;

  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }

  // "<field> (past the end)" at the first guard element the kernel wrote.
  std::optional<Mismatch> CheckGuard(const std::string& field) const {
    const T* guard = data_ + size_;
    for (size_t i = 0; i < kGuardElements; ++i) {
      if (!IsSentinel(guard[i], sentinel_)) {
        return Mismatch{field + " (past the end)", i, "untouched", FormatElement(guard[i]),
                        "no writes outside the output"};
      }
    }
    return std::nullopt;
  }

 private:
  std::vector<T> storage_;
  T* data_;
  size_t size_;
  T sentinel_;
};

// The guard, then the output against `ref` (as many elements as `got`
// holds) within tolerance: what a battery checks after each kernel stage.
inline std::optional<Mismatch> CheckOutput(const std::string& field,
                                           const GuardedOutput<float>& got,
                                           const std::vector<float>& ref,
                                           const Tolerance& t = kDefaultTolerance) {
  if (auto m = got.CheckGuard(field)) return m;
  return CompareFloats(field, ref.data(), got.data(), got.size(), t);
}

// As CheckOutput, with an error bound per element (CompareFloatsWithin).
inline std::optional<Mismatch> CheckOutputWithin(const std::string& field,
                                                 const GuardedOutput<float>& got,
                                                 const std::vector<float>& ref,
                                                 const std::vector<double>& bound,
                                                 const std::string& rule) {
  if (auto m = got.CheckGuard(field)) return m;
  return CompareFloatsWithin(field, ref.data(), got.data(), bound.data(), got.size(), rule);
}

// ---- Speed combos -------------------------------------------------------

// The source of a combo's query slots: the distribution of the combo's data
// with the data's own seed (so clustered queries fall in the data's
// clusters), drawing a stream of its own per state seed.
inline data::VectorSource QuerySource(data::Distribution distribution, size_t dim,
                                      uint64_t data_seed, uint64_t seed) {
  data::VectorSource source(distribution, dim, data_seed);
  source.Reseed(DeriveSeed(seed, "queries"));
  return source;
}

// ---- The Target builder --------------------------------------------------

// A target's own pieces: its description and where its battery and speed
// workloads come from. A plain value: the variant closure copies it.
template <class T>
struct SlotTargetSpec {
  using Api = typename T::Api;
  using Case = typename T::Case;
  using Workload = typename T::Workload;

  std::string id;            // "pq-l2": directory, CLI and JSON spelling
  std::string family;        // vector | encoding | query
  std::string unit;          // what one operation processes
  std::string lance_source;  // Lance function(s) the kernel re-creates
  std::string summary;       // one line for `lar list`
  std::string tolerance;     // how outputs are compared (Target::tolerance)

  std::function<std::vector<Case>(bool quick)> battery;
  // Draws the case's inputs and computes the reference once; the Checker
  // runs `api` under the forced ISA and compares (Case::prepare).
  std::function<Checker(const Case& c, uint64_t seed, const Api& api)> prepare_case;
  std::function<std::vector<Workload>(bool quick)> workloads;
  std::function<std::string(const Workload& w)> shape_name;         // Combo::shape
  std::function<std::string(const Workload& w)> distribution_name;  // Combo::distribution
  // The combo's untimed data (CachedData when it is expensive to build).
  std::function<typename T::Data(const Workload& w, uint64_t seed)> data;
  // Optional: builds what `data` caches, before the bench forks
  // (Combo::preload); empty when there is nothing worth caching.
  std::function<void(const Workload& w, uint64_t seed)> preload = nullptr;
};

namespace target_sdk_internal {

// One Case per battery case, each with its own seed derived from its name,
// so adding a case does not change the others' inputs.
template <class T>
std::vector<Case> BatteryCases(const SlotTargetSpec<T>& spec, const typename T::Api& api,
                               uint64_t seed, bool quick) {
  std::vector<Case> cases;
  for (const typename T::Case& c : spec.battery(quick)) {
    const uint64_t case_seed = DeriveSeed(seed, c.name.c_str());
    cases.push_back({c.name, [c, case_seed, api, prepare = spec.prepare_case] {
                       return prepare(c, case_seed, api);
                     }});
  }
  return cases;
}

// One SlotCombo per workload; `best` is the best kept kernel's KernelApi
// (Target::workloads) or null.
template <class T>
std::vector<Combo> SlotCombos(const SlotTargetSpec<T>& spec, const typename T::Api& api, bool quick,
                              const void* best) {
  using Api = typename T::Api;
  std::optional<Api> best_api;
  if (best != nullptr) best_api = *static_cast<const Api*>(best);
  std::vector<Combo> combos;
  for (const typename T::Workload& w : spec.workloads(quick)) {
    Combo combo{spec.shape_name(w), spec.distribution_name(w),
                [w, data = spec.data, api, best_api](uint64_t seed) -> std::unique_ptr<ComboState> {
                  return std::make_unique<SlotCombo<T>>(data(w, seed), seed, api, best_api);
                },
                nullptr};
    if (spec.preload) {
      combo.preload = [w, preload = spec.preload](uint64_t seed) { preload(w, seed); };
    }
    combos.push_back(std::move(combo));
  }
  return combos;
}

}  // namespace target_sdk_internal

// The Target around `api`. Its variant (another build of kernels.cc, see
// harness/variant.h) is the same spec around the variant's KernelApi.
template <class T>
Target MakeSlotTarget(const SlotTargetSpec<T>& spec, const typename T::Api& api) {
  using Api = typename T::Api;
  Target t;
  t.id = spec.id;
  t.family = spec.family;
  t.unit = spec.unit;
  t.lance_source = spec.lance_source;
  t.summary = spec.summary;
  t.tolerance = spec.tolerance;
  t.kernel_target = api.kernel_target;
  t.battery = [spec, api](uint64_t seed, bool quick) {
    return target_sdk_internal::BatteryCases(spec, api, seed, quick);
  };
  t.workloads = [spec, api](bool quick, const void* best) {
    return target_sdk_internal::SlotCombos(spec, api, quick, best);
  };
  t.variant = [spec](const void* other) {
    Target v = MakeSlotTarget(spec, *static_cast<const Api*>(other));
    v.kernel_api = other;
    return v;
  };
  t.kernel_api_size = sizeof(Api);
  return t;
}

// `target` marked as registered only in the test build (the zoo's broken
// kernels): `--all`, the list of known ids and the kernel tests skip it.
inline Target TestOnly(Target target, const std::string& summary) {
  target.test_only = true;
  target.summary = summary;
  return target;
}

}  // namespace lar

#endif  // LAR_HARNESS_TARGET_SDK_H_
