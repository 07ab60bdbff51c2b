// fsst inputs: string corpora (short names, URLs and e-mails, long text
// lines, random bytes, repetitive text; 10% empty), an FSST encoder that
// builds a symbol table from a 16 KiB sample and encodes greedily (any
// valid encoder serves: Lance's own samples at random, so its bytes differ
// run to run; tests/data/golden/fsst holds Lance's), pages cut into ~4 KiB
// chunks as Lance's mini-block encoder frames them, the speed workloads and
// the battery. Immutable for agents.
#ifndef LAR_TARGETS_FSST_INPUTS_H_
#define LAR_TARGETS_FSST_INPUTS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/prng.h"
#include "targets/fsst/fsst.h"

namespace lar::fsst {

enum class Text {
  kShort,       // 5-20 B: names, cities
  kMedium,      // 20-100 B: URLs and e-mail addresses
  kLong,        // 100-1000 B: text lines
  kRandom,      // 5-100 random bytes: escape-heavy
  kRepetitive,  // 20-200 B of a few repeated patterns: long symbols
};
const char* TextName(Text t);

// Strings as Arrow holds them: bytes and n + 1 offsets from 0.
struct Strings {
  std::vector<uint8_t> bytes;
  std::vector<int64_t> offsets;
  size_t size() const { return offsets.size() - 1; }
};
// Strings of `kind` until about `bytes` bytes (at least `min_count`
// strings); 1 in 10 empty.
Strings DrawStrings(Text kind, size_t bytes, size_t min_count, SplitMix64& rng);

// An encoded string set: the table, the codes, the code offsets from 0.
struct Encoded {
  std::vector<uint8_t> table;  // kSymbolTableBytes
  std::vector<uint8_t> codes;
  std::vector<int64_t> offsets;
};
// `max_symbols` caps the table (0: every byte escaped); `switch_on` false
// gives Lance's pass-through (codes = the bytes).
Encoded Encode(const Strings& s, size_t max_symbols, bool switch_on);

struct PageSpec {
  Text text = Text::kMedium;
  size_t bytes = 0;  // uncompressed
  OffsetWidth width = OffsetWidth::k32;
  bool chunked = true;  // Lance's ~4 KiB mini-block chunks, or the page in one call
};
std::string ShapeName(const PageSpec& s);
std::string DistributionName(const PageSpec& s);

// One call of the decoder: its strings' codes and offsets (rebased to 0 as
// Lance's mini-block decompressor does) and what it decodes to.
struct Chunk {
  size_t first = 0, count = 0;  // strings
  size_t code_begin = 0, code_len = 0;
  std::vector<int32_t> off32;  // [count + 1]
  std::vector<int64_t> off64;
  size_t decoded = 0;  // bytes
};
struct Page {
  PageSpec spec;
  Encoded enc;
  std::vector<Chunk> chunks;
  size_t decoded = 0;  // bytes of the page
  size_t strings = 0;
  Compressed Call(size_t c) const;  // the decoder's input for chunk c
};
Page BuildPage(const PageSpec& s, SplitMix64& rng);

// A speed combo's pages, and the largest sizes the buffers must take (the
// reference's slack: 8 x the largest chunk's codes).
struct Pool {
  PageSpec spec;
  std::vector<Page> pages;
  size_t max_decoded = 0, max_strings = 0, max_chunks = 0, slack = 0;
};
Pool BuildPool(const PageSpec& s, uint64_t seed, size_t pages);

using WorkloadSpec = PageSpec;
std::vector<WorkloadSpec> SpeedWorkloads(bool quick);

// Input slots per speed combo, and the pages of a combo they rotate
// through (more pages than slots: a slot never decodes the same page twice
// in a row).
inline constexpr size_t kSlots = 2;
inline constexpr size_t kPagesPerCombo = 3;

struct BatteryCase {
  std::string name;
  Text text = Text::kMedium;
  size_t bytes = 0;
  size_t min_count = 0;
  size_t max_symbols = 255;
  bool switch_on = true;
  OffsetWidth width = OffsetWidth::k32;
  size_t offset_base = 0;  // the input offsets start here (codes before it)
  size_t misalign = 0;
  bool all_empty = false;  // min_count empty strings
};
std::vector<BatteryCase> Battery(bool quick);

}  // namespace lar::fsst

#endif  // LAR_TARGETS_FSST_INPUTS_H_
