// A topk-merge query's answers: the per-partition selections and the
// merge, run through any implementation and compared exactly, (distance
// bits, row id) at every position, with guards after each answer. Glue,
// shared by the battery and the speed combos. Immutable for agents.
#ifndef LAR_TARGETS_TOPK_MERGE_ANSWER_H_
#define LAR_TARGETS_TOPK_MERGE_ANSWER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/target.h"
#include "harness/target_sdk.h"
#include "targets/topk-merge/topk_merge.h"

namespace lar::topk_merge {

// The answers of one query: per-partition selections and the merge, each
// followed by guard elements; all start as sentinels (GuardSentinel), so
// the battery sees any write past an answer's count.
struct Answer {
  std::vector<float> selected_d;      // [P][k]
  std::vector<uint64_t> selected_id;  // [P][k]
  std::vector<size_t> selected_n;     // [P]
  std::vector<float> merged_d;        // [k]
  std::vector<uint64_t> merged_id;    // [k]
  size_t merged_n = 0;

  explicit Answer(const Shape& s)
      : selected_d(s.partitions * s.k + kGuardElements, GuardSentinel<float>()),
        selected_id(s.partitions * s.k + kGuardElements, GuardSentinel<uint64_t>()),
        selected_n(s.partitions),
        merged_d(s.k + kGuardElements, GuardSentinel<float>()),
        merged_id(s.k + kGuardElements, GuardSentinel<uint64_t>()) {}
};

// One query through any implementation; `lists` is scratch of P entries.
// A template so the timed path inlines the implementation's calls.
template <class SelectFn, class MergeFn>
void RunQuery(const Shape& s, const float* d, const uint64_t* ids, const std::vector<size_t>& sizes,
              Answer* a, List* lists, SelectFn select, MergeFn merge) {
  size_t offset = 0;
  for (size_t p = 0; p < s.partitions; ++p) {
    float* od = a->selected_d.data() + p * s.k;
    uint64_t* oi = a->selected_id.data() + p * s.k;
    a->selected_n[p] = select(d + offset, ids + offset, sizes[p], od, oi);
    lists[p] = {od, oi, a->selected_n[p]};
    offset += sizes[p];
  }
  a->merged_n = merge(lists, s.partitions, a->merged_d.data(), a->merged_id.data());
}

// Exact equality of two sorted answers: the count, then every (distance
// bits, row id) pair.
std::optional<Mismatch> CompareAnswers(const std::string& field, const float* ref_d,
                                       const uint64_t* ref_id, size_t ref_n, const float* got_d,
                                       const uint64_t* got_id, size_t got_n);

// Every selection (when `selections`) and the merge of `got` against `ref`.
std::optional<Mismatch> CompareQuery(const std::string& who, const Shape& s, const Answer& ref,
                                     const Answer& got, bool selections);

// Writes past each answer's count: a select may only fill its own
// min(k, n) entries, the merge its min(k, total).
std::optional<Mismatch> CheckAnswerGuards(const Shape& shape, const Answer& got);

}  // namespace lar::topk_merge

#endif  // LAR_TARGETS_TOPK_MERGE_ANSWER_H_
