// Every registered target against its reference, on every ISA this CPU
// runs: the full correctness battery plus a second seed.
#include <doctest/doctest.h>

#include "harness/isa.h"
#include "harness/target.h"
#include "harness/verify.h"

namespace lar {

TEST_SUITE("kernels") {
  TEST_CASE("every target passes its battery on every supported ISA") {
    const std::vector<Isa> isas = SupportedIsas();
    REQUIRE_FALSE(Registry::All().empty());
    for (const Target& t : Registry::All()) {
      if (t.test_only) continue;
      INFO("target ", t.id);
      const VerifyReport r = Verify(t, isas, {kFixedSeed, 12345}, false, nullptr);
      CHECK(r.isas.size() == isas.size());
      CHECK(r.cases > 0);
      for (const VerifyFailure& f : r.failures) {
        INFO("ISA ", f.isa, " case '", f.case_name, "' ", f.mismatch.field, "[", f.mismatch.index,
             "] expected ", f.mismatch.expected, " got ", f.mismatch.got);
        CHECK(false);
      }
      CHECK(r.failure_count == 0);
    }
  }

  TEST_CASE("every target's timed workload runs and matches the reference") {
    // One warm-up-sized operation per combo through the ComboState interface,
    // on each ISA: what bench times is also what verify checked.
    for (const Isa& isa : SupportedIsas()) {
      ScopedIsa scoped(isa);
      for (const Target& t : Registry::All()) {
        if (t.test_only) continue;
        for (const Combo& c : t.workloads(true, nullptr)) {
          INFO(t.id, " [", isa.name, "] ", c.shape, " ", c.distribution);
          const std::unique_ptr<ComboState> s = c.make(7);
          REQUIRE(s->slots() >= 2);
          for (size_t i = 0; i < 2; ++i) {
            s->Run(Impl::kCandidate, i);
            s->Run(Impl::kReference, i);
            const std::optional<Mismatch> m = s->Check(i);
            CHECK_FALSE(m.has_value());
          }
        }
      }
    }
  }

}  // TEST_SUITE

}  // namespace lar
