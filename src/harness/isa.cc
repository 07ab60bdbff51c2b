// ISA discovery and forcing through Highway's dynamic dispatch.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/harness/isa.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace lar {
namespace HWY_NAMESPACE {

int64_t CurrentTarget() { return HWY_TARGET; }

}  // namespace HWY_NAMESPACE
}  // namespace lar
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include <cctype>

#include "harness/isa.h"

namespace lar {

HWY_EXPORT(CurrentTarget);

int64_t HarnessDispatchedTarget() { return HWY_DYNAMIC_DISPATCH(CurrentTarget)(); }

std::vector<Isa> CompiledIsas() {
  std::vector<Isa> out;
  // Lower bits are better targets on every architecture Highway supports.
  for (int64_t targets = HWY_TARGETS; targets != 0; targets &= targets - 1) {
    const int64_t bit = targets & ~(targets - 1);
    out.push_back({bit, hwy::TargetName(bit)});
  }
  return out;
}

std::vector<Isa> SupportedIsas() {
  std::vector<Isa> out;
  const int64_t supported = hwy::SupportedTargets();
  for (const Isa& isa : CompiledIsas()) {
    if (supported & isa.bits) out.push_back(isa);
  }
  return out;
}

std::optional<Isa> FindIsa(std::string_view name) {
  for (const Isa& isa : CompiledIsas()) {
    if (isa.name.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < name.size(); ++i) {
      if (std::toupper(static_cast<unsigned char>(name[i])) != isa.name[i]) {
        same = false;
        break;
      }
    }
    if (same) return isa;
  }
  return std::nullopt;
}

std::string IsaName(int64_t bits) { return hwy::TargetName(bits); }

std::string JoinIsaNames(const std::vector<Isa>& isas) {
  std::string out;
  for (const Isa& isa : isas) {
    if (!out.empty()) out += ' ';
    out += isa.name;
  }
  return out;
}

std::string DescribeIsas() {
  return "ISAs compiled in: " + JoinIsaNames(CompiledIsas()) +
         "; this CPU runs: " + JoinIsaNames(SupportedIsas());
}

ScopedIsa::ScopedIsa(const Isa& isa) { hwy::SetSupportedTargetsForTest(isa.bits); }

ScopedIsa::~ScopedIsa() { hwy::SetSupportedTargetsForTest(0); }

}  // namespace lar
#endif  // HWY_ONCE
