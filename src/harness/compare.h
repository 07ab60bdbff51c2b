// Output comparison rules (each target states its own in Target::tolerance): float tolerance, exact
// equality for integers and bytes, and ranking equality up to ties at the boundary.
#ifndef LAR_HARNESS_COMPARE_H_
#define LAR_HARNESS_COMPARE_H_

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "base/order.h"
#include "harness/target.h"

namespace lar {

// |got - ref| <= abs + rel * |ref|. The default is the seed's 1e-4 absolute
// plus a relative term, because 1e-4 is below one ulp for values >= 1024.
struct Tolerance {
  double abs = 1e-4;
  double rel = 1e-5;
};
inline constexpr Tolerance kDefaultTolerance{};

std::string DescribeTolerance(const Tolerance& t);
// Shortest text that round-trips a float ("%.9g"), "nan", "inf".
std::string FormatFloat(float v);

// NaN matches NaN and an infinity matches the same infinity: Lance
// propagates both, so a kernel must too.
inline bool WithinTolerance(double got, double ref, const Tolerance& t) {
  if (std::isnan(ref) || std::isnan(got)) return std::isnan(ref) && std::isnan(got);
  if (std::isinf(ref) || std::isinf(got)) return got == ref;
  return std::fabs(got - ref) <= t.abs + t.rel * std::fabs(ref);
}

std::optional<Mismatch> CompareFloats(const std::string& field, const float* ref, const float* got,
                                      size_t n, const Tolerance& t);

// |got[i] - ref[i]| <= bound[i] (an absolute error bound per element, for
// rules such as "(M+s+4) eps times the sum of absolute terms"); NaN and
// infinities as in WithinTolerance. `rule` describes the bound.
std::optional<Mismatch> CompareFloatsWithin(const std::string& field, const float* ref,
                                            const float* got, const double* bound, size_t n,
                                            const std::string& rule);

template <typename T>
std::optional<Mismatch> CompareExact(const std::string& field, const T* ref, const T* got,
                                     size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (!(ref[i] == got[i])) {
      return Mismatch{field, i, std::to_string(ref[i]), std::to_string(got[i]), "exact equality"};
    }
  }
  return std::nullopt;
}

// A top-k answer: ids (and their distances) sorted by (total order, id).
struct RankedList {
  const uint32_t* ids;
  const float* distances;
  size_t size;
};

// The candidate's top-k must equal the reference's, except that ids whose
// REFERENCE distances lie within tolerance of the k-th reference distance
// may be exchanged (ties at the boundary), and each reported distance must
// match the reference distance of its id within tolerance.
// `ref_distance(id)` returns the reference distance of any id below
// `num_ids`; the candidate's ids are checked first (CheckRankedIds), so a
// kernel that returns garbage gets a mismatch, not an out-of-bounds read.
std::optional<Mismatch> CompareRanking(const std::string& field, const RankedList& ref,
                                       const RankedList& got, size_t num_ids,
                                       const std::function<float(uint32_t)>& ref_distance,
                                       const Tolerance& t);

// A candidate's ids are each below `num_ids` and distinct. Call it before
// anything indexes by them.
std::optional<Mismatch> CheckRankedIds(const std::string& field, const RankedList& got,
                                       size_t num_ids);

}  // namespace lar

#endif  // LAR_HARNESS_COMPARE_H_
