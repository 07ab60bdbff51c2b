// The correctness battery runner: every case of a target on every requested
// ISA, with a check that the forced ISA is the one that really ran.
#ifndef LAR_HARNESS_VERIFY_H_
#define LAR_HARNESS_VERIFY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "harness/isa.h"
#include "harness/target.h"

namespace lar {

class ChildChannel;

// The battery every verify and trial runs; a fresh seed is added on top.
inline constexpr uint64_t kFixedSeed = 0x5EED1A4;

struct VerifyFailure {
  std::string isa;
  std::string case_name;
  uint64_t seed = 0;
  Mismatch mismatch;
  bool operator==(const VerifyFailure&) const = default;
};

struct VerifyReport {
  std::string target;
  std::vector<std::string> isas;  // ISAs that were forced and confirmed
  std::vector<uint64_t> seeds;
  size_t cases = 0;  // cases per ISA over all seeds
  size_t failure_count = 0;
  std::vector<VerifyFailure> failures;  // the first few, for the message
  bool passed() const { return failure_count == 0; }
  bool operator==(const VerifyReport&) const = default;
};

VerifyReport Verify(const Target& target, const std::vector<Isa>& isas,
                    const std::vector<uint64_t>& seeds, bool quick, ChildChannel* channel);

}  // namespace lar

#endif  // LAR_HARNESS_VERIFY_H_
