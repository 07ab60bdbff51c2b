// Kernel variants: a target's kernels.cc built from source into a shared
// object, loaded beside the linked one, verified, and timed in the same loop.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include "harness/isa.h"
#include "harness/sampler.h"
#include "harness/variant.h"
#include "harness/verify.h"

namespace lar {

TEST_SUITE("timing") {
  TEST_CASE("every target's kernels.cc builds as a variant that passes its battery") {
    std::string dir = (std::filesystem::temp_directory_path() / "lar-variant-XXXXXX").string();
    REQUIRE(mkdtemp(dir.data()) != nullptr);
    for (const Target& t : Registry::All()) {
      if (t.test_only) continue;
      INFO(t.id);
      const std::optional<std::string> source = ReadKernelSource(t.id);
      REQUIRE(source.has_value());
      std::string error;
      const std::optional<KernelVariant> a = LoadKernelVariant(t, *source, dir, 0, &error);
      INFO(error);
      REQUIRE(a.has_value());
      CHECK(a->built_now);
      // A second instance reuses the object and maps a separate copy of it.
      const std::optional<KernelVariant> b = LoadKernelVariant(t, *source, dir, 1, &error);
      REQUIRE(b.has_value());
      CHECK_FALSE(b->built_now);
      CHECK(b->so_path != a->so_path);
      const VerifyReport r = Verify(a->target, SupportedIsas(), {kFixedSeed}, true, nullptr);
      CHECK(r.isas.size() == SupportedIsas().size());
      CHECK(r.failure_count == 0);
      // The two instances timed against each other in one loop: about equal.
      std::vector<Combo> combos = a->target.workloads(true, b->target.kernel_api);
      MeasureOptions o;
      o.slice_seconds = 0.01;
      o.min_replicates = 2;
      o.max_seconds = 1.0;
      o.bootstrap_replicates = 200;
      o.count_cycles = false;
      o.with_best = true;
      const MeasureResult m = Measure(combos, o);
      CHECK_FALSE(m.mismatch.has_value());
      REQUIRE(m.vs_best.has_value());
      CHECK(m.vs_best->speedup > 0.85);
      CHECK(m.vs_best->speedup < 1.15);
      // A source that does not compile reports the compiler's message.
      const std::optional<KernelVariant> broken =
          LoadKernelVariant(t, *source + "\n#error deliberately broken\n", dir, 0, &error);
      CHECK_FALSE(broken.has_value());
      CHECK(error.find("deliberately broken") != std::string::npos);
    }
    std::filesystem::remove_all(dir);
  }

}  // TEST_SUITE

}  // namespace lar
