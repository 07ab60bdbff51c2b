// posting-seek inputs: (a) the Rust workspace's 9 combos (its synthetic
// lists of 100 / 10,000 / 80,000 blocks and its Sequential / Skip-shallow
// / Skip-deep seek sequences of 1,024 seeks, call for call), (b) Lance's
// byte format for lists of Zipf-ranked terms of Lance's FTS benchmark
// corpus with WAND-like seek traces, and the batteries (the workspace's
// edge sequences; before the first doc, past the last, on block
// boundaries, u32 max, repeated and decreasing targets, shallow then deep,
// every tail codec and bit width 1..32). Immutable for agents.
#ifndef LAR_TARGETS_POSTING_SEEK_INPUTS_H_
#define LAR_TARGETS_POSTING_SEEK_INPUTS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/prng.h"
#include "targets/posting-seek/posting_seek.h"

namespace lar::posting_seek {

// A list with its storage: (a) plain, or (b) encoded in Lance's format.
struct ListData {
  bool lance = false;
  // (a)
  std::vector<uint32_t> first_docs;
  size_t num_blocks = 0;
  // (b)
  std::vector<int64_t> offsets;
  std::vector<uint8_t> bytes;
  TailCodec tail = TailCodec::kVarintDelta;
  // Both: the decoded postings (the truth the traces are drawn from).
  std::vector<uint32_t> docs;
  std::vector<uint32_t> freqs;

  PlainList Plain() const { return {first_docs.data(), docs.data(), num_blocks}; }
  LanceList Lance() const { return {offsets.data(), bytes.data(), docs.size(), tail}; }
};

// (b): the list in Lance's byte format (the encoder of query.md s2).
ListData EncodeLance(std::vector<uint32_t> docs, std::vector<uint32_t> freqs, TailCodec tail);

enum class OpKind : uint8_t { kReset, kNext, kShallow };
struct Op {
  OpKind kind;
  uint32_t least_id;
};

// What a call leaves observable: (a) the returned doc and the index; (b)
// index, block_idx and, after a next that did not exhaust the list, the
// cursor's doc and freq (shallow_next: doc = freq = 0).
struct Observation {
  uint64_t index = 0;
  uint64_t block_idx = 0;
  int64_t doc = 0;
  uint32_t freq = 0;
  bool operator==(const Observation&) const = default;
};

// Replays ops [first, last) from the cursor state (index, block_idx) with
// an empty cache, through any implementation (kernel or reference), into
// out (one Observation per op; resets observe the fresh cursor).
void Replay(const ListData& list, const std::vector<Op>& ops, size_t first, size_t last,
            size_t index, size_t block_idx, const KernelApi& api, PlainCursor* plain,
            LanceCursor* lance, Observation* out);
// The reference as a KernelApi (for Replay).
KernelApi ReferenceApi();

// ---- Speed workloads ------------------------------------------------------

enum class Pattern { kSequential, kSkipShallow, kSkipDeep, kWand };
const char* PatternName(Pattern p);

struct WorkloadSpec {
  bool lance;      // (b)
  size_t blocks;   // (a): 100, 10,000, 80,000
  uint32_t rank;   // (b): the term's Zipf rank
  TailCodec tail;  // (b)
  Pattern pattern;
};
std::vector<WorkloadSpec> SpeedWorkloads(bool quick);
std::string ShapeName(const WorkloadSpec& w);

// Calls per timed operation (the workspace's batch of 32 seeks).
inline constexpr size_t kCallsPerBatch = 32;
inline constexpr size_t kSlots = 16;

// A combo: the list, its op sequence, and where each batch of 32 calls
// starts (the op position and the reference cursor's state there).
struct Batch {
  size_t first, last;
  size_t index, block_idx;
};
struct SpeedData {
  WorkloadSpec spec;
  std::shared_ptr<const ListData> list;
  std::vector<Op> ops;
  std::vector<Batch> batches;
};
std::shared_ptr<const SpeedData> BuildSpeedData(const WorkloadSpec& w);

// ---- Battery ---------------------------------------------------------------

enum class Docs { kDense, kSparse, kWide };  // gaps 1, up to 2^16, up to 2^26
struct BatteryCase {
  std::string name;
  bool lance;
  size_t blocks = 0;  // (a): the workspace's shapes
  int edge = 0;       // (a): the workspace's edge sequence 0..4
  size_t length = 0;  // (b)
  TailCodec tail = TailCodec::kVarintDelta;
  Docs docs = Docs::kSparse;
  bool huge_freqs = false;
};
std::vector<BatteryCase> Battery(bool quick);

struct Problem {
  ListData list;
  std::vector<Op> ops;
};
Problem DrawCase(const BatteryCase& c, uint64_t seed);

}  // namespace lar::posting_seek

#endif  // LAR_TARGETS_POSTING_SEEK_INPUTS_H_
