// The registration interface between the harness and a target. The harness
// never names a target: each target's registration file builds a Target from
// closures over its own types and adds it with a file-static Registrar.
#ifndef LAR_HARNESS_TARGET_H_
#define LAR_HARNESS_TARGET_H_

// Every target's contract header includes this one, so kernels, references
// and glue all stop here if the compiler was told to relax IEEE arithmetic
// (GCC and Clang define __FAST_MATH__ for it, -Ofast included): the oracle
// compares against Lance bit for bit and NaN/inf handling is part of it.
#ifdef __FAST_MATH__
#error \
    "lar needs IEEE float semantics: drop the fast-math / -Ofast flag from CXXFLAGS or -Dcpp_args"
#endif

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lar {

// The first element where a kernel's output differs from the reference.
struct Mismatch {
  std::string field;     // which output: "table", "distances", "top-k", ...
  size_t index = 0;      // element index within that output
  std::string expected;  // reference value, printed exactly
  std::string got;       // kernel value
  std::string rule;      // the tolerance or ranking rule that was applied
  bool operator==(const Mismatch&) const = default;
};

using Checker = std::function<std::optional<Mismatch>()>;

// One correctness case. `prepare` draws the inputs and computes the
// reference outputs once; the Checker it returns runs the kernel under the
// currently forced ISA and compares, so the reference is not recomputed per
// ISA.
struct Case {
  std::string name;
  std::function<Checker()> prepare;
};

// kBest: the best kept kernel, timed beside the candidate in a trial.
enum class Impl { kCandidate, kReference, kBest };

// The untimed state of one speed combo: inputs, prepared kernel, output
// buffers. Every buffer is allocated here; Run() must not allocate.
class ComboState {
 public:
  virtual ~ComboState() = default;
  // Input slots. The harness rotates through them so that consecutive
  // operations never see the same input.
  virtual size_t slots() const = 0;
  // One timed operation of `impl` on slot `i`.
  virtual void Run(Impl impl, size_t i) = 0;
  // After the impls ran on slot i: the candidate's output (and the best
  // kernel's, when there is one) against the reference's (untimed).
  // nullopt = match.
  virtual std::optional<Mismatch> Check(size_t i) = 0;
  // Draws a fresh input into slot i (untimed), so no input is timed twice
  // and a kernel cannot profit from caching answers.
  virtual void Refresh(size_t i) = 0;
  // Moves every buffer (inputs, prepared kernel state, outputs) to fresh
  // allocations, so the next round runs on another memory layout. Timings
  // of identical code differ by several percent between layouts (cache-set
  // and page placement); relocating every round makes the estimate an
  // average over layouts and its CI include that variation. `layout_seed`
  // draws the layout (the order of the allocations and the spacers between
  // them); the sampler gives every process and round its own, so the
  // candidate's buffers do not sit in the same place relative to the best's
  // in every process (a bias that replication would not show).
  virtual void Relocate(uint64_t layout_seed) = 0;
  // Bytes a kernel must at least touch per operation (for bandwidth
  // figures); 0 if not meaningful. Decode targets: input + output bytes.
  virtual double bytes_per_op() const { return 0.0; }
  // The memory-speed anchor of decode targets (optional): memcpy of the
  // bytes one operation on slot i writes, from the candidate's output buffer
  // into the reference's, returning that byte count; 0 (the default) means
  // the combo has no anchor. The sampler times it in the same rounds as the
  // kernels, after a round's pairs: a copy before a pair would warm the
  // lines it touches for one kernel alone, and leave the reference's buffer
  // overwritten before a check (the next round starts on fresh buffers).
  virtual size_t CopyOutput(size_t i) {
    (void)i;
    return 0;
  }
};

struct Combo {
  std::string shape;         // e.g. "(128,16,256)"
  std::string distribution;  // e.g. "clustered"
  std::function<std::unique_ptr<ComboState>(uint64_t seed)> make;
  // Optional: builds and caches the data make(seed) needs, without running
  // any kernel. The bench calls it once in the parent so that its child
  // processes (forked after) start without the expensive set-up.
  std::function<void(uint64_t seed)> preload;
};

struct Target {
  std::string id;            // "pq-l2": directory, CLI and JSON spelling
  std::string family;        // vector | encoding | query
  std::string unit;          // what one operation processes: query, value...
  std::string lance_source;  // Lance function(s) the kernel re-creates
  std::string summary;       // one line for `lar list`
  // How outputs are compared with the reference, in one phrase for the
  // report's PR block ("bitwise equality", "|got - ref| <= ...").
  std::string tolerance;
  bool test_only = false;  // registered only in the test build (the zoo)
  // The HWY_TARGET the kernel file's own dispatch selects right now.
  std::function<int64_t()> kernel_target;
  // Correctness battery from a seed; `quick` trims sizes for sanitizer runs.
  std::function<std::vector<Case>(uint64_t seed, bool quick)> battery;
  // Speed combos (shapes x distributions); `quick` shrinks them for tests.
  // `best`, when not null, is the KernelApi of the best kept kernel (from a
  // variant's kernel_api): the states then also run Impl::kBest with it.
  std::function<std::vector<Combo>(bool quick, const void* best)> workloads;
  // The same target around another build of kernels.cc: `api` is what the
  // variant's exported lar_kernel_api() returns (a pointer to the target's
  // KernelApi). The trial uses it to time the best kept kernel in the same
  // process as the candidate.
  std::function<Target(const void* api)> variant;
  // sizeof the target's KernelApi, checked against a loaded variant.
  size_t kernel_api_size = 0;
  // The KernelApi this target wraps when it is a variant (else null).
  const void* kernel_api = nullptr;
};

// The target families, in the order `lar list` sorts them.
inline constexpr const char* kFamilies[] = {"vector", "encoding", "query"};

// Namespace and contract header of a target by convention: "pq-l2" ->
// lar::pq_l2 in targets/pq-l2/pq_l2.h.
std::string TargetNamespace(const std::string& id);
std::string TargetHeader(const std::string& id);

class Registry {
 public:
  static void Add(Target target);
  // Sorted by family (vector, encoding, query) then id.
  static const std::vector<Target>& All();
  static const Target* Find(const std::string& id);
};

// File-static registration: `static Registrar reg(MakeTarget());`
struct Registrar {
  explicit Registrar(Target target) { Registry::Add(std::move(target)); }
};

}  // namespace lar

#endif  // LAR_HARNESS_TARGET_H_
