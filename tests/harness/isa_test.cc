// ISA control: forcing each supported target really runs it (simdjson's
// checkimplementation idea), for the harness and for every target's kernel.
#include <doctest/doctest.h>

#include <hwy/targets.h>

#include "harness/isa.h"
#include "harness/target.h"

namespace lar {

TEST_SUITE("unit") {
  TEST_CASE("compiled ISAs include the scalar fallback; supported is a subset") {
    const std::vector<Isa> compiled = CompiledIsas();
    const std::vector<Isa> supported = SupportedIsas();
    REQUIRE_FALSE(compiled.empty());
    REQUIRE_FALSE(supported.empty());
    CHECK(compiled.back().name == "SCALAR");
    for (const Isa& s : supported) {
      bool found = false;
      for (const Isa& c : compiled) found = found || c.bits == s.bits;
      CHECK(found);
    }
    CHECK(FindIsa("scalar").has_value());
    CHECK(FindIsa("Scalar")->name == "SCALAR");
    CHECK_FALSE(FindIsa("NEON9").has_value());
  }

  TEST_CASE("a forced ISA is the one that runs, in the harness and in every kernel") {
    for (const Isa& isa : SupportedIsas()) {
      INFO(isa.name);
      {
        ScopedIsa scoped(isa);
        CHECK(HarnessDispatchedTarget() == isa.bits);
        for (const Target& t : Registry::All()) {
          INFO(t.id);
          CHECK(t.kernel_target() == isa.bits);
        }
      }
      // Dispatch returns to the best target afterwards.
      CHECK(HarnessDispatchedTarget() == SupportedIsas().front().bits);
    }
  }

}  // TEST_SUITE

}  // namespace lar
