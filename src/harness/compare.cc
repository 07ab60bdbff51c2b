// Float tolerance and ranking comparisons.
#include "harness/compare.h"

#include "base/strings.h"

#include <algorithm>
#include <cstdio>
#include <unordered_set>

namespace lar {

std::string DescribeTolerance(const Tolerance& t) {
  return StrFormat("|got-ref| <= %g + %g*|ref|", t.abs, t.rel);
}

std::string FormatFloat(float v) {
  if (std::isnan(v)) return std::signbit(v) ? "-nan" : "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return StrFormat("%.9g", static_cast<double>(v));
}

std::optional<Mismatch> CompareFloats(const std::string& field, const float* ref, const float* got,
                                      size_t n, const Tolerance& t) {
  for (size_t i = 0; i < n; ++i) {
    if (!WithinTolerance(got[i], ref[i], t)) {
      return Mismatch{field, i, FormatFloat(ref[i]), FormatFloat(got[i]), DescribeTolerance(t)};
    }
  }
  return std::nullopt;
}

std::optional<Mismatch> CompareFloatsWithin(const std::string& field, const float* ref,
                                            const float* got, const double* bound, size_t n,
                                            const std::string& rule) {
  for (size_t i = 0; i < n; ++i) {
    if (!WithinTolerance(got[i], ref[i], Tolerance{bound[i], 0.0})) {
      return Mismatch{field, i, FormatFloat(ref[i]), FormatFloat(got[i]),
                      rule + StrFormat(" (here %.3g)", bound[i])};
    }
  }
  return std::nullopt;
}

std::optional<Mismatch> CheckRankedIds(const std::string& field, const RankedList& got,
                                       size_t num_ids) {
  std::unordered_set<uint32_t> seen;
  for (size_t i = 0; i < got.size; ++i) {
    const uint32_t id = got.ids[i];
    if (id >= num_ids) {
      return Mismatch{field + ".ids", i, "an id below " + std::to_string(num_ids),
                      "id " + std::to_string(id), "every id names an input row"};
    }
    if (!seen.insert(id).second) {
      return Mismatch{field + ".ids", i, "distinct ids", "id " + std::to_string(id) + " again",
                      "every id at most once"};
    }
  }
  return std::nullopt;
}

std::optional<Mismatch> CompareRanking(const std::string& field, const RankedList& ref,
                                       const RankedList& got, size_t num_ids,
                                       const std::function<float(uint32_t)>& ref_distance,
                                       const Tolerance& t) {
  const std::string rule =
      "same ids up to ties within tolerance of the k-th distance; " + DescribeTolerance(t);
  if (ref.size != got.size) {
    return Mismatch{field + ".size", 0, std::to_string(ref.size), std::to_string(got.size), rule};
  }
  if (auto m = CheckRankedIds(field, got, num_ids)) return m;
  if (ref.size == 0) return std::nullopt;
  for (size_t i = 0; i < got.size; ++i) {
    const float want = ref_distance(got.ids[i]);
    if (!WithinTolerance(got.distances[i], want, t)) {
      return Mismatch{field + ".distance(id " + std::to_string(got.ids[i]) + ")", i,
                      FormatFloat(want), FormatFloat(got.distances[i]), rule};
    }
  }
  const float boundary = ref.distances[ref.size - 1];
  auto tied_at_boundary = [&](uint32_t id) {
    return WithinTolerance(ref_distance(id), boundary, t);
  };
  std::unordered_set<uint32_t> ref_ids(ref.ids, ref.ids + ref.size);
  std::unordered_set<uint32_t> got_ids(got.ids, got.ids + got.size);
  for (size_t i = 0; i < got.size; ++i) {
    if (!ref_ids.count(got.ids[i]) && !tied_at_boundary(got.ids[i])) {
      return Mismatch{
          field + ".ids", i,
          "id " + std::to_string(ref.ids[i]) + " (" + FormatFloat(ref.distances[i]) + ")",
          "id " + std::to_string(got.ids[i]) + " (" + FormatFloat(got.distances[i]) + ")", rule};
    }
  }
  for (size_t i = 0; i < ref.size; ++i) {
    if (!got_ids.count(ref.ids[i]) && !tied_at_boundary(ref.ids[i])) {
      return Mismatch{
          field + ".ids", i,
          "id " + std::to_string(ref.ids[i]) + " (" + FormatFloat(ref.distances[i]) + ")",
          "missing", rule};
    }
  }
  return std::nullopt;
}

}  // namespace lar
