// topk-merge reference: scalar ports of Lance's two selection stages.
// Select: FlatIndex::search_with_scratch / push_candidate_local
// (rust/lance-index/src/vector/flat/index.rs L36, L125): a max-heap of
// capacity k fed in storage order; once full, a candidate replaces the top
// only when it is strictly smaller. Merge: the scanner's SortExec with
// fetch = k over every partition's rows (scanner.rs ann L4643; DataFusion's
// TopK): the same bounded heap over all lists in list order, emitted
// sorted. Lance's per-partition heap compares distances only and returns
// its internal order; lar's contract orders by (total order, row id) at
// both stages, so the reference keys its heaps on that pair and sorts the
// heap it returns. Immutable for agents.
#include <algorithm>
#include <cstring>

#include "targets/topk-merge/topk_merge.h"

namespace lar::topk_merge::reference {
namespace {

int32_t Key(float v) {
  int32_t bits;
  std::memcpy(&bits, &v, sizeof(bits));
  return bits ^ ((bits >> 31) & 0x7FFFFFFF);
}

bool Less(const Entry& a, const Entry& b) {
  return Before(a.distance, a.row_id, b.distance, b.row_id);
}

// Restores the max-heap property below `pos` (Rust's BinaryHeap sift_down
// after PeekMut replaces the top).
void SiftDown(Entry* heap, size_t size, size_t pos) {
  const Entry moving = heap[pos];
  for (;;) {
    size_t child = 2 * pos + 1;
    if (child >= size) break;
    if (child + 1 < size && Less(heap[child], heap[child + 1])) ++child;
    if (!Less(moving, heap[child])) break;
    heap[pos] = heap[child];
    pos = child;
  }
  heap[pos] = moving;
}

void SiftUp(Entry* heap, size_t pos) {
  const Entry moving = heap[pos];
  while (pos > 0) {
    const size_t parent = (pos - 1) / 2;
    if (!Less(heap[parent], moving)) break;
    heap[pos] = heap[parent];
    pos = parent;
  }
  heap[pos] = moving;
}

// The bounded heap of both stages: push while below capacity, then
// replace the maximum only by a strictly smaller entry.
void Offer(Entry* heap, size_t* size, size_t k, const Entry& e) {
  if (*size < k) {
    heap[*size] = e;
    SiftUp(heap, (*size)++);
  } else if (Less(e, heap[0])) {
    heap[0] = e;
    SiftDown(heap, k, 0);
  }
}

size_t Emit(Entry* heap, size_t size, float* out_distances, uint64_t* out_row_ids) {
  std::sort(heap, heap + size, Less);
  for (size_t i = 0; i < size; ++i) {
    out_distances[i] = heap[i].distance;
    out_row_ids[i] = heap[i].row_id;
  }
  return size;
}

}  // namespace

bool Before(float da, uint64_t ia, float db, uint64_t ib) {
  const int32_t ka = Key(da), kb = Key(db);
  return ka != kb ? ka < kb : ia < ib;
}

size_t Select(const float* distances, const uint64_t* row_ids, size_t n, size_t k, Entry* heap,
              float* out_distances, uint64_t* out_row_ids) {
  if (k == 0) return 0;  // Lance: k' = 0 returns nothing
  size_t size = 0;
  for (size_t i = 0; i < n; ++i) Offer(heap, &size, k, {distances[i], row_ids[i]});
  return Emit(heap, size, out_distances, out_row_ids);
}

size_t Merge(const List* lists, size_t count, size_t k, Entry* heap, float* out_distances,
             uint64_t* out_row_ids) {
  if (k == 0) return 0;
  size_t size = 0;
  for (size_t l = 0; l < count; ++l) {
    for (size_t i = 0; i < lists[l].size; ++i) {
      Offer(heap, &size, k, {lists[l].distances[i], lists[l].row_ids[i]});
    }
  }
  return Emit(heap, size, out_distances, out_row_ids);
}

}  // namespace lar::topk_merge::reference
