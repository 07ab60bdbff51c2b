// Runs batteries: prepare each case once, then check it under each ISA.
#include "harness/verify.h"

#include "harness/child.h"

namespace lar {
namespace {

constexpr size_t kMaxReportedFailures = 8;

void Record(VerifyReport& report, VerifyFailure failure) {
  ++report.failure_count;
  if (report.failures.size() < kMaxReportedFailures) {
    report.failures.push_back(std::move(failure));
  }
}

}  // namespace

VerifyReport Verify(const Target& target, const std::vector<Isa>& isas,
                    const std::vector<uint64_t>& seeds, bool quick, ChildChannel* channel) {
  VerifyReport report;
  report.target = target.id;
  report.seeds = seeds;
  // Dispatch check first: a forced ISA that does not run would make every
  // "verified on X" claim false.
  std::vector<Isa> confirmed;
  for (const Isa& isa : isas) {
    ScopedIsa scoped(isa);
    const int64_t harness = HarnessDispatchedTarget();
    const int64_t kernel = target.kernel_target();
    if (harness != isa.bits || kernel != isa.bits) {
      Record(report, {isa.name, "dispatch", 0,
                      Mismatch{"dispatched ISA", 0, isa.name,
                               "harness " + IsaName(harness) + ", kernel " + IsaName(kernel),
                               "the forced ISA must be the one that runs"}});
      continue;
    }
    confirmed.push_back(isa);
    report.isas.push_back(isa.name);
  }
  for (uint64_t seed : seeds) {
    const std::vector<Case> cases = target.battery(seed, quick);
    report.cases += cases.size();
    for (const Case& c : cases) {
      if (channel) {
        channel->Mark("verify " + target.id + " case '" + c.name + "' (seed " +
                      std::to_string(seed) + ") preparing");
      }
      const Checker check = c.prepare();
      for (const Isa& isa : confirmed) {
        if (channel) {
          channel->Mark("verify " + target.id + " [" + isa.name + "] case '" + c.name + "' (seed " +
                        std::to_string(seed) + ")");
        }
        ScopedIsa scoped(isa);
        if (std::optional<Mismatch> m = check()) {
          Record(report, {isa.name, c.name, seed, *m});
        }
      }
    }
  }
  return report;
}

}  // namespace lar
