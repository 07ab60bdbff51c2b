// posting-seek kernels: THE AGENT'S FILE. Everything about speed lives here;
// the contract is targets/posting-seek/posting_seek.h, the rules are
// program.md. Edit between the MUTABLE fences; the dispatch boilerplate
// outside them stays as is.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "targets/posting-seek/kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "targets/posting-seek/posting_seek.h"

// ==== BEGIN MUTABLE: prepared state (compiled once) ======================
#ifndef LAR_TARGETS_POSTING_SEEK_KERNELS_STATE_
#define LAR_TARGETS_POSTING_SEEK_KERNELS_STATE_
#include <algorithm>
#include <cstring>

namespace lar::posting_seek {

// Block scans probe this many blocks one by one before galloping: WAND's
// calls mostly move 0-3 blocks (query.md s3.2), where a gallop's setup
// costs more than it saves.
inline constexpr size_t kLinearBlocks = 4;

inline uint32_t LoadU32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

inline size_t LanceBlockLength(const LanceList& l, size_t block) {
  return std::min(kBlockSize, l.length - block * kBlockSize);
}

// block_least_doc_id: one read through the offsets (one cache line of the
// block); a VarintDelta tail starts with its first doc as a varint.
inline uint32_t LanceFirstDoc(const LanceList& l, size_t block) {
  const uint8_t* b = l.bytes + l.offsets[block] + 4;
  if (l.tail == TailCodec::kFixed32 || LanceBlockLength(l, block) == kBlockSize) {
    return LoadU32(b);
  }
  uint32_t v = 0;
  for (int shift = 0;; shift += 7, ++b) {
    v |= static_cast<uint32_t>(*b & 0x7F) << shift;
    if ((*b & 0x80) == 0) return v;
  }
}

// The last block k in [from, blocks) with k == from or first(k) <= x, for
// any increasing first(k): kLinearBlocks probes, then an exponential
// search and a binary search on the bracket. Lance's loop is the linear
// scan alone.
template <class FirstDoc>
size_t AdvanceBlocks(size_t from, size_t blocks, uint32_t x, FirstDoc first,
                     size_t linear = kLinearBlocks, size_t first_step = 1) {
  size_t k = from;
  for (size_t s = 0; s < linear; ++s) {
    if (k + 1 >= blocks || first(k + 1) > x) return k;
    ++k;
  }
  size_t step = first_step;
  while (k + step < blocks && first(k + step) <= x) {
    k += step;
    step *= 2;
  }
  // first(k) <= x; first(k + step) > x or past the end.
  // Branch-free halving (a conditional move per step, no mispredictions):
  // the answer lies in [k, k + n).
  for (size_t n = std::min(k + step, blocks) - k; n > 1;) {
    const size_t half = n / 2;
    k = first(k + half) <= x ? k + half : k;
    n -= half;
  }
  return k;
}

// A VarintDelta or Fixed32 tail, scalar (it is one block per list).
inline void DecodeTail(const LanceList& l, size_t block, LanceCursor& c) {
  const uint8_t* b = l.bytes + l.offsets[block] + 4;
  const size_t n = LanceBlockLength(l, block);
  if (l.tail == TailCodec::kFixed32) {
    std::memcpy(c.docs, b, 4 * n);
    std::memcpy(c.freqs, b + 4 * n, 4 * n);
    return;
  }
  auto varint = [&b]() {
    uint32_t v = 0;
    for (int shift = 0;; shift += 7) {
      const uint8_t byte = *b++;
      v |= static_cast<uint32_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return v;
    }
  };
  uint32_t doc = 0;
  for (size_t i = 0; i < n; ++i) c.docs[i] = doc += varint();
  for (size_t i = 0; i < n; ++i) c.freqs[i] = varint();
}

}  // namespace lar::posting_seek
#endif  // LAR_TARGETS_POSTING_SEEK_KERNELS_STATE_
// ==== END MUTABLE ========================================================

HWY_BEFORE_NAMESPACE();
namespace lar::posting_seek {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// ==== BEGIN MUTABLE: per-ISA kernels =====================================

// The partition point of docs[from, n) for x (the first position >= from
// with docs >= x, or n): the block is sorted, so counting the docs below
// x a group of 4 vectors at a time, from the vector holding `from`, can
// stop at the first group that is not all below. Seeks mostly land near
// the cursor or on a block's first doc: a group or two.
HWY_INLINE size_t PartitionPoint(const uint32_t* HWY_RESTRICT docs, size_t from, size_t n,
                                 uint32_t x) {
  const hn::ScalableTag<uint32_t> d;
  const size_t lanes = hn::Lanes(d);
  const auto vx = hn::Set(d, x);
  size_t i = from - from % lanes;
  size_t count = i;  // docs before i are below x (they precede from)
  for (; i + 4 * lanes <= n; i += 4 * lanes) {
    const size_t below = hn::CountTrue(d, hn::Lt(hn::LoadU(d, docs + i), vx)) +
                         hn::CountTrue(d, hn::Lt(hn::LoadU(d, docs + i + lanes), vx)) +
                         hn::CountTrue(d, hn::Lt(hn::LoadU(d, docs + i + 2 * lanes), vx)) +
                         hn::CountTrue(d, hn::Lt(hn::LoadU(d, docs + i + 3 * lanes), vx));
    count += below;
    if (below < 4 * lanes) return std::max(from, count);
  }
  for (; i + lanes <= n; i += lanes) {
    const size_t below = hn::CountTrue(d, hn::Lt(hn::LoadU(d, docs + i), vx));
    count += below;
    if (below < lanes) return std::max(from, count);
  }
  for (; i < n && docs[i] < x; ++i) ++count;
  return std::max(from, count);
}

// BitPacker4x unpacking: u32 number 4 w + l is word w of lane l, so one
// 4-lane vector holds the same word of the four lanes, and output row r
// (values 4r .. 4r + 3) is bits [r * bits, (r + 1) * bits) of each lane:
// one shift of word w, OR the next word's low bits when the value
// straddles, then a mask. (SCALAR runs the same with one lane.)
HWY_INLINE void Unpack(const uint8_t* HWY_RESTRICT packed, int bits, uint32_t* HWY_RESTRICT out) {
  const hn::CappedTag<uint32_t, 4> d;
  const size_t lanes = hn::Lanes(d);
  if (bits == 0) {
    std::memset(out, 0, kBlockSize * sizeof(uint32_t));
    return;
  }
  if (bits == 32) {
    std::memcpy(out, packed, kBlockSize * sizeof(uint32_t));
    return;
  }
  const auto* words = reinterpret_cast<const uint32_t*>(packed);
  const auto mask = hn::Set(d, (uint32_t{1} << bits) - 1);
  for (size_t row = 0; row < kBlockSize / 4; ++row) {
    const size_t bit = row * static_cast<size_t>(bits);
    const size_t w = bit / 32;
    const int shift = static_cast<int>(bit % 32);
    const bool straddles = shift + bits > 32;
    for (size_t g = 0; g < 4; g += lanes) {
      auto v = hn::ShiftRightSame(hn::LoadU(d, words + 4 * w + g), shift);
      if (straddles) {
        v = hn::Or(v, hn::ShiftLeftSame(hn::LoadU(d, words + 4 * (w + 1) + g), 32 - shift));
      }
      hn::StoreU(hn::And(v, mask), d, out + 4 * row + g);
    }
  }
}

// docs[i] = first + deltas[0] + ... + deltas[i]: an in-register prefix
// sum of 4 lanes (two shifted adds) plus the running total.
HWY_INLINE void PrefixSum(uint32_t first, uint32_t* HWY_RESTRICT docs) {
#if HWY_TARGET == HWY_SCALAR
  uint32_t sum = first;
  for (size_t i = 0; i < kBlockSize; ++i) docs[i] = sum += docs[i];
#else
  const hn::FixedTag<uint32_t, 4> d;
  auto carry = hn::Set(d, first);
  for (size_t i = 0; i < kBlockSize; i += 4) {
    auto v = hn::LoadU(d, docs + i);
    v = hn::Add(v, hn::ShiftLeftLanes<1>(d, v));
    v = hn::Add(v, hn::ShiftLeftLanes<2>(d, v));
    v = hn::Add(v, carry);
    hn::StoreU(v, d, docs + i);
    carry = hn::Broadcast<3>(v);
  }
#endif
}

// A full block: [f32 score][u32 first_doc][u8 bd][deltas][u8 bf][freqs].
HWY_INLINE void Decode(const LanceList& l, size_t block, LanceCursor& c) {
  if (LanceBlockLength(l, block) < kBlockSize) {
    DecodeTail(l, block, c);
  } else {
    const uint8_t* b = l.bytes + l.offsets[block];
    const int bd = b[8];
    const uint8_t* freqs = b + 9 + 16 * bd;
    Unpack(b + 9, bd, c.docs);
    PrefixSum(LoadU32(b + 4), c.docs);
    Unpack(freqs + 1, freqs[0], c.freqs);
  }
  c.cached = block;
}

// The last block k >= from with k == from or first_docs[k] <= x over a
// dense sidecar. Two scalar probes answer the commonest calls (0 or 1
// block ahead) at once; the blocks after that with first doc <= x are a
// prefix, so counting them a vector at a time answers jumps of up to two
// vectors of blocks; longer ones gallop.
HWY_INLINE size_t AdvanceSidecar(const uint32_t* HWY_RESTRICT first_docs, size_t blocks,
                                 size_t from, uint32_t x) {
  if (from + 1 >= blocks || first_docs[from + 1] > x) return from;
  if (from + 2 >= blocks || first_docs[from + 2] > x) return from + 1;
  const hn::ScalableTag<uint32_t> d;
  const size_t lanes = hn::Lanes(d);
  const auto vx = hn::Set(d, x);
  size_t k = from + 2;  // first_docs[k] <= x
  for (int s = 0; s < 2 && k + 1 + lanes <= blocks; ++s) {
    const size_t below = hn::CountTrue(d, hn::Not(hn::Gt(hn::LoadU(d, first_docs + k + 1), vx)));
    k += below;
    if (below < lanes) return k;
  }
  // Farther than two vectors: the gallop starts at that distance.
  return AdvanceBlocks(
      k, blocks, x, [first_docs](size_t b) { return first_docs[b]; }, 0, 2 * lanes);
}

// (a) The workspace's list: the block by AdvanceSidecar, the position by
// PartitionPoint, falling through to the next block.
int64_t PlainNextImpl(PlainCursor& cursor, const PlainList& list, uint32_t least_id) {
  const size_t length = list.num_blocks * kBlockSize;
  if (cursor.index >= length) return kExhausted;
  const size_t block =
      AdvanceSidecar(list.first_docs, list.num_blocks, cursor.index / kBlockSize, least_id);
  cursor.index = std::max(cursor.index, block * kBlockSize);
  for (;;) {
    const size_t b = cursor.index / kBlockSize;
    const uint32_t* docs = list.docs + b * kBlockSize;
    const size_t at = PartitionPoint(docs, cursor.index % kBlockSize, kBlockSize, least_id);
    if (at < kBlockSize) {
      cursor.index = b * kBlockSize + at;
      return docs[at];
    }
    if (b + 1 >= list.num_blocks) {
      cursor.index = length;
      return kExhausted;
    }
    cursor.index = (b + 1) * kBlockSize;
  }
}

// (b) Lance's loop with AdvanceBlocks over the blocks' first docs, the
// block decoded (SIMD unpack + prefix sum) when the cache lacks it.
void LanceNextImpl(LanceCursor& cursor, const LanceList& list, uint32_t least_id) {
  const size_t blocks = NumBlocks(list);
  if (cursor.index < list.length) {
    const size_t block = AdvanceBlocks(cursor.index / kBlockSize, blocks, least_id,
                                       [&list](size_t k) { return LanceFirstDoc(list, k); });
    cursor.index = std::max(cursor.index, block * kBlockSize);
    for (;;) {
      const size_t b = cursor.index / kBlockSize;
      if (cursor.cached != b) Decode(list, b, cursor);
      const size_t n = LanceBlockLength(list, b);
      const size_t at = PartitionPoint(cursor.docs, cursor.index % kBlockSize, n, least_id);
      if (at < n) {
        cursor.index = b * kBlockSize + at;
        break;
      }
      if (b + 1 >= blocks) {
        cursor.index = list.length;
        break;
      }
      cursor.index = (b + 1) * kBlockSize;
    }
  }
  cursor.block_idx = cursor.index / kBlockSize;
}

void LanceShallowNextImpl(LanceCursor& cursor, const LanceList& list, uint32_t least_id) {
  const size_t blocks = NumBlocks(list);
  if (cursor.block_idx + 1 >= blocks) return;
  cursor.block_idx = AdvanceBlocks(cursor.block_idx, blocks, least_id,
                                   [&list](size_t k) { return LanceFirstDoc(list, k); });
}

// ==== END MUTABLE ========================================================

int64_t KernelTargetImpl() { return HWY_TARGET; }

}  // namespace HWY_NAMESPACE
}  // namespace lar::posting_seek
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace lar::posting_seek {

HWY_EXPORT(PlainNextImpl);
HWY_EXPORT(LanceNextImpl);
HWY_EXPORT(LanceShallowNextImpl);
HWY_EXPORT(KernelTargetImpl);

int64_t PlainNext(PlainCursor& cursor, const PlainList& list, uint32_t least_id) {
  return HWY_DYNAMIC_DISPATCH(PlainNextImpl)(cursor, list, least_id);
}

void LanceNext(LanceCursor& cursor, const LanceList& list, uint32_t least_id) {
  HWY_DYNAMIC_DISPATCH(LanceNextImpl)(cursor, list, least_id);
}

void LanceShallowNext(LanceCursor& cursor, const LanceList& list, uint32_t least_id) {
  HWY_DYNAMIC_DISPATCH(LanceShallowNextImpl)(cursor, list, least_id);
}

int64_t KernelTarget() { return HWY_DYNAMIC_DISPATCH(KernelTargetImpl)(); }

}  // namespace lar::posting_seek
#endif  // HWY_ONCE
