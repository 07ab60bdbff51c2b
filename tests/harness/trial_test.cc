// The pure steps of lar trial: the edit-scope rule and the MUTABLE fences.
#include <doctest/doctest.h>

#include "harness/trial.h"

namespace lar {

TEST_SUITE("unit") {
  TEST_CASE("edit scope: tracked changes count, stray untracked files only where the build sees") {
    const std::vector<std::string> own = {"results.tsv", ".lar"};
    // The kernel itself and lar's own outputs never count.
    CHECK(OutsideEditScope({"targets/pq-l2/kernels.cc", "results.tsv", ".lar/runs/x.json"}, {},
                           "pq-l2", own)
              .empty());
    // Any other tracked change does, wherever it is.
    CHECK(OutsideEditScope({"README.md"}, {}, "pq-l2", own) ==
          std::vector<std::string>{"README.md"});
    CHECK(OutsideEditScope({"targets/pq-dot/kernels.cc"}, {}, "pq-l2", own).size() == 1);
    // A chart or notes in the root: the build cannot see them.
    CHECK(OutsideEditScope({}, {"progress.svg", "notes/today.md", "docs/x.md"}, "pq-l2", own)
              .empty());
    // An untracked header beside kernels.cc: the best's recorded source could
    // not be rebuilt from the record, so it invalidates.
    CHECK(OutsideEditScope({}, {"targets/pq-l2/helper.h"}, "pq-l2", own) ==
          std::vector<std::string>{"targets/pq-l2/helper.h"});
    for (const char* reachable : {"src/harness/x.h", "tests/y.cc", "templates/t.in", "meson.build",
                                  "sub/meson.build", "meson_options.txt"}) {
      INFO(reachable);
      CHECK(OutsideEditScope({}, {reachable}, "pq-l2", own).size() == 1);
    }
  }

  TEST_CASE("text outside the MUTABLE fences is what an agent may not change") {
    const std::string a =
        "// head\n// ==== BEGIN MUTABLE: kernels\nint x = 1;\n// ==== END MUTABLE\n// tail\n";
    const std::string inside =
        "// head\n// ==== BEGIN MUTABLE: kernels\nint x = 2;\nint y;\n"
        "// ==== END MUTABLE\n// tail\n";
    const std::string outside =
        "// head\n// ==== BEGIN MUTABLE: kernels\nint x = 1;\n// ==== END MUTABLE\n// tail 2\n";
    CHECK(OutsideFences(a) == OutsideFences(inside));
    CHECK(OutsideFences(a) != OutsideFences(outside));
    CHECK(OutsideFences(a).find("int x") == std::string::npos);
  }

}  // TEST_SUITE

}  // namespace lar
