// posting-seek: the kernel contract. Lance's block-aware posting-list
// cursor (wand.rs PostingIterator::next / shallow_next), which WAND's AND
// and OR loops call to move a term's cursor to the first doc >= a target.
// Two surfaces:
//   (a) the Rust workspace's posting-seek crate: uncompressed 128-id
//       blocks with a dense first-doc sidecar, `next` only, so figures
//       compare with its run_experiment;
//   (b) Lance's real list: the byte format of docs/lance/query.md s2
//       (4x-bitpacked 128-doc blocks with first_doc, Fixed32 or
//       VarintDelta tails), a cursor with one decoded block cached, `next`
//       and `shallow_next`; decoding is part of the cost, as in Lance.
// One timed operation replays a batch of 32 cursor calls.
// kernels.cc implements the first block (the agent's file); reference.cc
// the second (immutable: Lance's loops, scalar decoding).
#ifndef LAR_TARGETS_POSTING_SEEK_POSTING_SEEK_H_
#define LAR_TARGETS_POSTING_SEEK_POSTING_SEEK_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include <hwy/base.h>

#include "harness/target.h"

namespace lar::posting_seek {

// Postings per block (BLOCK_SIZE = BitPacker4x::BLOCK_LEN).
inline constexpr size_t kBlockSize = 128;

// ---- (a) The workspace's synthetic list ---------------------------------
// num_blocks full blocks: docs[128 k + i] ascending across the whole list,
// first_docs[k] = docs[128 k]. 0 < num_blocks.
struct PlainList {
  const uint32_t* first_docs;
  const uint32_t* docs;
  size_t num_blocks;
};
struct PlainCursor {
  size_t index = 0;  // posting position; num_blocks * 128 when exhausted
};
// The doc id returned by a call when the list is exhausted (Rust's None).
inline constexpr int64_t kExhausted = -1;

// ---- (b) Lance's list ---------------------------------------------------
// A posting list as Lance stores it (CompressedPostingList): `length`
// postings in ceil(length / 128) blocks; block k is bytes [offsets[k],
// offsets[k + 1]). A full block: [f32 max score][u32 first_doc][u8 bd]
// [16 bd bytes: doc deltas][u8 bf][16 bf bytes: freqs], all little-endian;
// deltas d[0] = 0, d[i] = doc[i] - doc[i - 1], bd = bit width of their OR,
// freqs raw with bf = bit width of the largest. Packing is BitPacker4x's
// vertical layout: value i is the (i / 4)-th value of lane i % 4, each
// lane packed LSB-first into 32-bit words, word w of lane l stored as u32
// number 4 w + l. Only the last block may hold fewer than 128 postings;
// it is [f32 score] then, by `tail`, either n u32 doc ids and n u32 freqs
// (Fixed32) or n LEB128 varints (doc[0], then gaps) and n LEB128 freqs
// (VarintDelta). A block's first doc is bytes [4, 8) of full blocks and
// Fixed32 tails, the first varint of a VarintDelta tail.
enum class TailCodec : uint8_t { kFixed32, kVarintDelta };
struct LanceList {
  const int64_t* offsets;  // num_blocks + 1 entries
  const uint8_t* bytes;
  size_t length;  // postings, >= 1
  TailCodec tail;
};
inline size_t NumBlocks(const LanceList& l) { return (l.length + kBlockSize - 1) / kBlockSize; }

// The cursor (PostingIterator's state): `index` and `block_idx` are
// Lance's; `cached` names the block whose doc ids and freqs sit decoded
// in docs / freqs (kNoBlock: none). After Next, when index < length, the
// cache holds block index / 128, so docs[index % 128] is the cursor's doc
// and freqs[index % 128] its freq.
inline constexpr size_t kNoBlock = ~size_t{0};
struct LanceCursor {
  size_t index = 0;
  size_t block_idx = 0;
  size_t cached = kNoBlock;
  alignas(64) uint32_t docs[kBlockSize];
  alignas(64) uint32_t freqs[kBlockSize];
};

// Input assumptions (the verify battery covers each): lists are valid as
// described (strictly increasing doc ids anywhere in u32, freqs >= 1,
// any bit widths 1..32); least_id is any u32, not necessarily increasing;
// the byte buffer is exactly offsets[num_blocks] bytes (no reading past
// it); a cursor starts at index 0, block_idx 0, or where the previous
// call left it (or as a batch's start state: index / block_idx set, cache
// empty).

// ---- kernels.cc: the agent's file --------------------------------------
// (a) Rust's PostingSeek::next: moves to the first posting at or after
// the cursor with doc >= least_id; returns its doc, or kExhausted.
int64_t PlainNext(PlainCursor& cursor, const PlainList& list, uint32_t least_id);
// (b) wand.rs next(least_id): postcondition index = min{p >= old index :
// doc[p] >= least_id}, or length; block_idx = index / 128; the cache
// holds that block when index < length.
void LanceNext(LanceCursor& cursor, const LanceList& list, uint32_t least_id);
// (b) wand.rs shallow_next(least_id): block_idx = max{k >= block_idx :
// first_doc(k) <= least_id} (unchanged when none); nothing decoded.
void LanceShallowNext(LanceCursor& cursor, const LanceList& list, uint32_t least_id);
// The HWY_TARGET this file's dispatch selects now.
int64_t KernelTarget();

// ---- reference.cc: Lance's loops, scalar ---------------------------------
namespace reference {
int64_t PlainNext(PlainCursor& cursor, const PlainList& list, uint32_t least_id);
void LanceNext(LanceCursor& cursor, const LanceList& list, uint32_t least_id);
void LanceShallowNext(LanceCursor& cursor, const LanceList& list, uint32_t least_id);
}  // namespace reference

// Any implementation of the contract (the shipped one, a variant build of
// another version of kernels.cc, or a broken one in the test zoo).
struct KernelApi {
  int64_t (*plain_next)(PlainCursor&, const PlainList&, uint32_t);
  void (*lance_next)(LanceCursor&, const LanceList&, uint32_t);
  void (*lance_shallow_next)(LanceCursor&, const LanceList&, uint32_t);
  int64_t (*kernel_target)();
};

inline KernelApi ShippedKernel() {
  return {&PlainNext, &LanceNext, &LanceShallowNext, &KernelTarget};
}

// The registration of posting-seek (target.cc) around any kernel
// implementation.
Target MakeTarget(const std::string& id, const KernelApi& api);

}  // namespace lar::posting_seek

#endif  // LAR_TARGETS_POSTING_SEEK_POSTING_SEEK_H_
