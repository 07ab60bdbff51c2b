// Running and comparing topk-merge answers (answer.h).
#include "targets/topk-merge/answer.h"

#include <cinttypes>
#include <cstring>

#include "base/strings.h"
#include "harness/compare.h"

namespace lar::topk_merge {
namespace {

std::string Describe(float d, uint64_t id) {
  uint32_t bits;
  std::memcpy(&bits, &d, sizeof(bits));
  return StrFormat("(%s [0x%08" PRIx32 "], row %" PRIu64 ")", FormatFloat(d).c_str(), bits, id);
}

}  // namespace

std::optional<Mismatch> CompareAnswers(const std::string& field, const float* ref_d,
                                       const uint64_t* ref_id, size_t ref_n, const float* got_d,
                                       const uint64_t* got_id, size_t got_n) {
  if (ref_n != got_n) {
    return Mismatch{field + " count", 0, std::to_string(ref_n), std::to_string(got_n),
                    "exact equality"};
  }
  for (size_t i = 0; i < ref_n; ++i) {
    if (std::memcmp(ref_d + i, got_d + i, sizeof(float)) != 0 || ref_id[i] != got_id[i]) {
      return Mismatch{field, i, Describe(ref_d[i], ref_id[i]), Describe(got_d[i], got_id[i]),
                      "exact (distance bits, row id) in (total order, row id) order"};
    }
  }
  return std::nullopt;
}

std::optional<Mismatch> CompareQuery(const std::string& who, const Shape& s, const Answer& ref,
                                     const Answer& got, bool selections) {
  if (selections) {
    for (size_t p = 0; p < s.partitions; ++p) {
      if (auto m = CompareAnswers(who + "select[partition " + std::to_string(p) + "]",
                                  ref.selected_d.data() + p * s.k, ref.selected_id.data() + p * s.k,
                                  ref.selected_n[p], got.selected_d.data() + p * s.k,
                                  got.selected_id.data() + p * s.k, got.selected_n[p])) {
        return m;
      }
    }
  }
  return CompareAnswers(who + "merge", ref.merged_d.data(), ref.merged_id.data(), ref.merged_n,
                        got.merged_d.data(), got.merged_id.data(), got.merged_n);
}

std::optional<Mismatch> CheckAnswerGuards(const Shape& shape, const Answer& got) {
  auto untouched = [&](const float* od, const uint64_t* oi, size_t from, size_t to,
                       const std::string& field) -> std::optional<Mismatch> {
    for (size_t i = from; i < to; ++i) {
      if (!IsSentinel(od[i]) || !IsSentinel(oi[i])) {
        return Mismatch{field + " (past the count)", i, "untouched", Describe(od[i], oi[i]),
                        "no writes outside the answer"};
      }
    }
    return std::nullopt;
  };
  for (size_t p = 0; p < shape.partitions; ++p) {
    if (got.selected_n[p] > shape.k) break;  // reported as a count mismatch below
    const size_t end =
        p + 1 == shape.partitions ? shape.partitions * shape.k + kGuardElements : (p + 1) * shape.k;
    if (auto m = untouched(got.selected_d.data(), got.selected_id.data(),
                           p * shape.k + got.selected_n[p], end,
                           "select[partition " + std::to_string(p) + "]")) {
      return m;
    }
  }
  if (got.merged_n <= shape.k) {
    if (auto m = untouched(got.merged_d.data(), got.merged_id.data(), got.merged_n,
                           shape.k + kGuardElements, "merge")) {
      return m;
    }
  }
  return std::nullopt;
}

}  // namespace lar::topk_merge
