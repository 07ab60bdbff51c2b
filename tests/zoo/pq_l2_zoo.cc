// The zoo: deliberately broken pq-l2 kernels, registered only in lar-zoo
// (the test build). Each wraps the shipped kernel and breaks one promise;
// tests/cli checks that lar catches each with the right status and exit code.
#include <time.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "harness/isa.h"
#include "harness/target.h"
#include "harness/target_sdk.h"
#include "harness/timer.h"
#include "targets/pq-l2/pq_l2.h"

namespace lar::zoo {
namespace {

using pq_l2::KernelApi;
using pq_l2::kNumCentroids;
using pq_l2::Prepared;
using pq_l2::Shape;

struct Wrapped final : Prepared {
  std::unique_ptr<Prepared> inner;
  Shape shape;
  size_t n = 0;
  // zoo-cache: tables remembered by query address (preallocated).
  static constexpr size_t kCacheSlots = 64;
  const float* cached_query[kCacheSlots] = {};
  size_t next_slot = 0;
  std::vector<float> cached_table;
};

std::unique_ptr<Prepared> WrapPrepare(const Shape& shape, const float* codebook,
                                      const uint8_t* codes, size_t n) {
  auto w = std::make_unique<Wrapped>();
  w->inner = pq_l2::Prepare(shape, codebook, codes, n);
  w->shape = shape;
  w->n = n;
  w->cached_table.resize(Wrapped::kCacheSlots * shape.num_sub_vectors * kNumCentroids);
  return w;
}

Wrapped& W(Prepared& p) { return static_cast<Wrapped&>(p); }

void Table(Prepared& p, const float* q, float* t) { pq_l2::DistanceTable(*W(p).inner, q, t); }
void Scan(Prepared& p, const float* t, float* d) { pq_l2::Distances(*W(p).inner, t, d); }

// Wrong everywhere: one distance is off by 1.
void WrongScan(Prepared& p, const float* t, float* d) {
  Scan(p, t, d);
  if (W(p).n > 0) d[W(p).n / 2] += 1.0f;
}

// Segfaults on any non-empty input.
void CrashScan(Prepared& p, const float* t, float* d) {
  if (W(p).n > 0) {
    // An address the compiler cannot see through, so it neither warns
    // nor removes the store.
    volatile uintptr_t address = 16;
    *reinterpret_cast<volatile int*>(address) = 1;
  }
  Scan(p, t, d);
}

// An illegal instruction (ud2) on any non-empty input.
void IllegalScan(Prepared& p, const float* t, float* d) {
  if (W(p).n > 0) __builtin_trap();
  Scan(p, t, d);
}

// Right on the battery, wrong on the speed workloads (whose partitions hold
// a multiple of 1000 vectors): a buggy "large N" fast path.
void TimedWrongScan(Prepared& p, const float* t, float* d) {
  Scan(p, t, d);
  const size_t n = W(p).n;
  if (n >= 1000 && n % 1000 == 0) d[n - 1] *= 0.5f;
}

// Never returns on a non-empty input.
void HangScan(Prepared& p, const float* t, float* d) {
  if (W(p).n > 0) {
    for (;;) asm volatile("" ::: "memory");
  }
  Scan(p, t, d);
}

// Remembers tables by query address and replays them: correct while every
// query has its own address (the battery), stale once an address is reused
// with new contents (the timed workload redraws each input in place).
void CachingTable(Prepared& p, const float* q, float* t) {
  Wrapped& w = W(p);
  const size_t size = w.shape.num_sub_vectors * kNumCentroids;
  for (size_t i = 0; i < Wrapped::kCacheSlots; ++i) {
    if (w.cached_query[i] == q) {
      std::memcpy(t, w.cached_table.data() + i * size, size * sizeof(float));
      return;
    }
  }
  Table(p, q, t);
  const size_t slot = w.next_slot++ % Wrapped::kCacheSlots;
  w.cached_query[slot] = q;
  std::memcpy(w.cached_table.data() + slot * size, t, size * sizeof(float));
}

// Correct, plus a busy wait of $LAR_ZOO_SPIN_NS per operation: lets the
// trial tests make the "same" kernel slower or faster on demand.
void SpinScan(Prepared& p, const float* t, float* d) {
  static const uint64_t spin_ns = [] {
    const char* env = std::getenv("LAR_ZOO_SPIN_NS");
    return env ? std::strtoull(env, nullptr, 10) : 0ull;
  }();
  if (spin_ns > 0) {
    const uint64_t until = NowNs() + spin_ns;
    while (NowNs() < until) {
    }
  }
  Scan(p, t, d);
}

// Correct, plus a busy wait that depends on the ISA the kernel dispatched:
// $LAR_ZOO_SPIN_AT = "AVX2:60000,SSE4:0" (ns per ISA), $LAR_ZOO_SPIN_NS
// for the others. A kernel faster on one ISA and slower on another, for
// the --isas gate.
void IsaSkewScan(Prepared& p, const float* t, float* d) {
  static const std::string spins = [] {
    const char* env = std::getenv("LAR_ZOO_SPIN_AT");
    return env ? "," + std::string(env) + "," : std::string();
  }();
  static const uint64_t default_ns = [] {
    const char* env = std::getenv("LAR_ZOO_SPIN_NS");
    return env ? std::strtoull(env, nullptr, 10) : 0ull;
  }();
  uint64_t spin_ns = default_ns;
  const std::string key = "," + IsaName(pq_l2::KernelTarget()) + ":";
  if (const size_t at = spins.find(key); at != std::string::npos) {
    spin_ns = std::strtoull(spins.c_str() + at + key.size(), nullptr, 10);
  }
  const uint64_t until = NowNs() + spin_ns;
  while (NowNs() < until) {
  }
  Scan(p, t, d);
}

// pq-l2's own glue (battery, workloads, checks) around a broken kernel.
Target Zoo(const std::string& id, const std::string& what, KernelApi api) {
  return TestOnly(pq_l2::MakeTarget(id, api), "[zoo] " + what);
}

KernelApi Api(void (*table)(Prepared&, const float*, float*),
              void (*scan)(Prepared&, const float*, float*)) {
  return {&WrapPrepare, table, scan, &pq_l2::KernelTarget};
}

const Registrar kWrong(Zoo("zoo-wrong", "one distance off by 1", Api(&Table, &WrongScan)));
const Registrar kCrash(Zoo("zoo-crash", "segfaults", Api(&Table, &CrashScan)));
const Registrar kIllegal(Zoo("zoo-sigill", "illegal instruction", Api(&Table, &IllegalScan)));
const Registrar kTimedWrong(Zoo("zoo-timed-wrong", "wrong only on the speed workloads",
                                Api(&Table, &TimedWrongScan)));
const Registrar kHang(Zoo("zoo-hang", "never returns", Api(&Table, &HangScan)));
const Registrar kCache(Zoo("zoo-cache", "replays tables cached by query address",
                           Api(&CachingTable, &Scan)));
const Registrar kIsaSkew(
    Zoo("zoo-isa-skew", "correct, plus a busy wait per ISA ($LAR_ZOO_SPIN_AT, $LAR_ZOO_SPIN_NS)",
        Api(&Table, &IsaSkewScan)));
const Registrar kSpin(Zoo("zoo-spin", "correct, plus $LAR_ZOO_SPIN_NS of busy wait",
                          Api(&Table, &SpinScan)));

}  // namespace
}  // namespace lar::zoo
