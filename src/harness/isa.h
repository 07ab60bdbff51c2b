// Highway targets (ISAs) as named objects: which are compiled in, which this
// CPU runs, forcing one by name, and proving that the forced one really ran.
#ifndef LAR_HARNESS_ISA_H_
#define LAR_HARNESS_ISA_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lar {

struct Isa {
  int64_t bits = 0;  // one HWY_* target bit
  std::string name;  // Highway's TargetName: AVX3, AVX2, SSE4, SCALAR, NEON, SVE, SVE2_128...
};

// Targets compiled into this binary, best first.
std::vector<Isa> CompiledIsas();
// Compiled targets this CPU can execute, best first.
std::vector<Isa> SupportedIsas();
// A compiled target by name (case-insensitive), or nullopt.
std::optional<Isa> FindIsa(std::string_view name);
std::string IsaName(int64_t bits);
// "AVX3 AVX2 SSE4 SSSE3 SCALAR"
std::string JoinIsaNames(const std::vector<Isa>& isas);
// "ISAs compiled in: SVE2_128 SVE_256 SVE2 SVE NEON; this CPU runs: NEON",
// for lar --version and lar list.
std::string DescribeIsas();

// The target HWY_DYNAMIC_DISPATCH selects right now, as reported by a
// dispatched function of the harness (a per-kernel twin lives in each
// target's kernels.cc).
int64_t HarnessDispatchedTarget();

// Restricts dynamic dispatch to one target for its lifetime (Highway's
// SetSupportedTargetsForTest); the destructor restores normal dispatch.
class ScopedIsa {
 public:
  explicit ScopedIsa(const Isa& isa);
  ~ScopedIsa();
  ScopedIsa(const ScopedIsa&) = delete;
  ScopedIsa& operator=(const ScopedIsa&) = delete;
};

}  // namespace lar

#endif  // LAR_HARNESS_ISA_H_
