// posting-seek reference: scalar ports of Lance's cursor
// (rust/lance-index/src/scalar/inverted/wand.rs, PostingIterator::next
// L439 and shallow_next L478 at lance-format/lance 1ba84bca; identical at
// the workspace's pin 5cf70b27, L349 / L388): a linear scan of the blocks'
// first docs, then a partition_point inside the decoded block, falling
// through to the next block. (a) is the workspace's port of the same loop
// over its synthetic list; (b) reads Lance's byte format and decodes a
// block value by value (BitPacker4x's layout, then the delta prefix sum),
// as lance-bitpacking's scalar fallback does. Immutable for agents.
#include <algorithm>
#include <cstring>

#include "targets/posting-seek/posting_seek.h"

namespace lar::posting_seek::reference {
namespace {

uint32_t ReadU32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

// One LEB128 varint at *p, advancing it.
uint32_t ReadVarint(const uint8_t** p) {
  uint32_t v = 0;
  for (int shift = 0;; shift += 7) {
    const uint8_t byte = *(*p)++;
    v |= static_cast<uint32_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return v;
  }
}

// Value i (0..127) of a BitPacker4x block of `bits`-wide values.
uint32_t Unpack(const uint8_t* packed, int bits, size_t i) {
  if (bits == 0) return 0;
  const size_t lane = i % 4, row = i / 4;
  const size_t bit = row * static_cast<size_t>(bits);
  const size_t word = bit / 32, shift = bit % 32;
  uint64_t v = ReadU32(packed + 4 * (4 * word + lane)) >> shift;
  if (shift + static_cast<size_t>(bits) > 32) {
    v |= static_cast<uint64_t>(ReadU32(packed + 4 * (4 * (word + 1) + lane))) << (32 - shift);
  }
  const uint64_t mask = bits == 32 ? 0xFFFFFFFFull : (uint64_t{1} << bits) - 1;
  return static_cast<uint32_t>(v & mask);
}

size_t BlockLength(const LanceList& l, size_t block) {
  return std::min(kBlockSize, l.length - block * kBlockSize);
}

// block_least_doc_id (index.rs ~L3839).
uint32_t FirstDoc(const LanceList& l, size_t block) {
  const uint8_t* b = l.bytes + l.offsets[block];
  if (BlockLength(l, block) == kBlockSize || l.tail == TailCodec::kFixed32) return ReadU32(b + 4);
  const uint8_t* p = b + 4;
  return ReadVarint(&p);
}

void Decode(const LanceList& l, size_t block, LanceCursor& c) {
  const uint8_t* b = l.bytes + l.offsets[block];
  const size_t n = BlockLength(l, block);
  if (n == kBlockSize) {
    uint32_t doc = ReadU32(b + 4);
    const int bd = b[8];
    const uint8_t* deltas = b + 9;
    const int bf = deltas[16 * bd];
    const uint8_t* freqs = deltas + 16 * bd + 1;
    for (size_t i = 0; i < n; ++i) {
      doc += Unpack(deltas, bd, i);
      c.docs[i] = doc;
      c.freqs[i] = Unpack(freqs, bf, i);
    }
  } else if (l.tail == TailCodec::kFixed32) {
    for (size_t i = 0; i < n; ++i) {
      c.docs[i] = ReadU32(b + 4 + 4 * i);
      c.freqs[i] = ReadU32(b + 4 + 4 * (n + i));
    }
  } else {
    const uint8_t* p = b + 4;
    uint32_t doc = 0;
    for (size_t i = 0; i < n; ++i) {
      doc += ReadVarint(&p);
      c.docs[i] = doc;
    }
    for (size_t i = 0; i < n; ++i) c.freqs[i] = ReadVarint(&p);
  }
  c.cached = block;
}

}  // namespace

int64_t PlainNext(PlainCursor& cursor, const PlainList& list, uint32_t least_id) {
  const size_t length = list.num_blocks * kBlockSize;
  if (cursor.index >= length) return kExhausted;
  size_t block = cursor.index / kBlockSize;
  while (block + 1 < list.num_blocks && list.first_docs[block + 1] <= least_id) ++block;
  cursor.index = std::max(cursor.index, block * kBlockSize);
  for (;;) {
    const size_t b = cursor.index / kBlockSize, offset = cursor.index % kBlockSize;
    const uint32_t* docs = list.docs + b * kBlockSize;
    const size_t at =
        static_cast<size_t>(std::partition_point(docs + offset, docs + kBlockSize,
                                                 [&](uint32_t id) { return id < least_id; }) -
                            docs);
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

void LanceNext(LanceCursor& cursor, const LanceList& list, uint32_t least_id) {
  const size_t blocks = NumBlocks(list);
  if (cursor.index < list.length) {
    size_t block = cursor.index / kBlockSize;
    while (block + 1 < blocks && FirstDoc(list, block + 1) <= least_id) ++block;
    cursor.index = std::max(cursor.index, block * kBlockSize);
    for (;;) {
      const size_t b = cursor.index / kBlockSize, offset = cursor.index % kBlockSize;
      if (cursor.cached != b) Decode(list, b, cursor);
      const size_t n = BlockLength(list, b);
      const size_t at =
          static_cast<size_t>(std::partition_point(cursor.docs + offset, cursor.docs + n,
                                                   [&](uint32_t id) { return id < least_id; }) -
                              cursor.docs);
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

void LanceShallowNext(LanceCursor& cursor, const LanceList& list, uint32_t least_id) {
  const size_t blocks = NumBlocks(list);
  while (cursor.block_idx + 1 < blocks && FirstDoc(list, cursor.block_idx + 1) <= least_id) {
    ++cursor.block_idx;
  }
}

}  // namespace lar::posting_seek::reference
