// lar new: a target scaffolded in a scratch copy of this checkout builds,
// verifies on every ISA and benches; bad names and existing ids are refused.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "lar_config.h"
#include "process.h"

namespace lar::test {
namespace {

namespace fs = std::filesystem;

ProcessResult Run(const std::vector<std::string>& argv, const std::string& cwd = "") {
  return RunProcess(argv, {}, cwd);
}

// Copies the files git knows of (tracked, and untracked but not ignored).
std::string ScratchCopy() {
  const std::string dir = MakeTempDir();
  const ProcessResult files =
      Run({"/usr/bin/git", "-C", LAR_SOURCE_DIR, "ls-files", "-co", "--exclude-standard"});
  REQUIRE(files.exit_code == 0);
  std::istringstream in(files.out);
  for (std::string f; std::getline(in, f);) {
    const fs::path from = fs::path(LAR_SOURCE_DIR) / f;
    if (!fs::is_regular_file(from)) continue;
    fs::create_directories((fs::path(dir) / f).parent_path());
    fs::copy_file(from, fs::path(dir) / f);
  }
  return dir;
}

}  // namespace

TEST_SUITE("cli") {
  TEST_CASE("lar new refuses bad names, existing ids and non-checkouts") {
    for (const std::string bad : {"Bad_Name", "1abc", "a--b", "x-", "pq_l2", "a b"}) {
      const ProcessResult r = Run({LarBin(), "new", bad, "--root", LAR_SOURCE_DIR});
      INFO(bad, " ", r.err);
      CHECK(r.exit_code == 64);
      CHECK(r.err.find("invalid target id") != std::string::npos);
    }
    // A leading dash reads as an option: still a one-line usage error.
    CHECK(Run({LarBin(), "new", "-x", "--root", LAR_SOURCE_DIR}).exit_code == 64);
    ProcessResult r = Run({LarBin(), "new", "pq-l2", "--root", LAR_SOURCE_DIR});
    CHECK(r.exit_code == 64);
    CHECK(r.err.find("already exists") != std::string::npos);
    const std::string empty = MakeTempDir();
    r = Run({LarBin(), "new", "fine-name", "--root", empty});
    CHECK(r.exit_code == 64);
    CHECK(r.err.find("not a lar checkout") != std::string::npos);
    CHECK(fs::is_empty(empty));
    fs::remove_all(empty);
  }

  TEST_CASE("a scaffolded target builds, verifies on every ISA and benches") {
    const std::string root = ScratchCopy();
    ProcessResult r = Run({LarBin(), "new", "scaffold-demo", "--family", "query", "--root", root});
    INFO(r.out, r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("Checklist") != std::string::npos);
    for (const char* f :
         {"targets/scaffold-demo/scaffold_demo.h", "targets/scaffold-demo/reference.cc",
          "targets/scaffold-demo/inputs.cc", "targets/scaffold-demo/kernels.cc",
          "targets/scaffold-demo/target.cc", "targets/scaffold-demo/program.md",
          "targets/scaffold-demo/meson.build", "docs/targets/scaffold-demo.md"}) {
      CHECK_MESSAGE(fs::exists(fs::path(root) / f), f);
    }
    std::ifstream meson(fs::path(root) / "targets" / "meson.build");
    std::stringstream wired;
    wired << meson.rdbuf();
    CHECK(wired.str().find("subdir('scaffold-demo')") != std::string::npos);
    // A second scaffold with the same id is refused.
    r = Run({LarBin(), "new", "scaffold-demo", "--root", root});
    CHECK(r.exit_code == 64);

    r = Run({"/usr/bin/meson", "setup", "build", "-Dtests=false"}, root);
    INFO(r.out, r.err);
    REQUIRE(r.exit_code == 0);
    r = Run({"/usr/bin/ninja", "-C", "build", "lar"}, root);
    INFO(r.out.substr(r.out.size() > 4000 ? r.out.size() - 4000 : 0));
    REQUIRE(r.exit_code == 0);
    const std::string lar = root + "/build/lar";
    r = Run({lar, "list"}, root);
    CHECK(r.out.find("scaffold-demo      query") != std::string::npos);
    r = Run({lar, "verify", "scaffold-demo"}, root);
    INFO(r.out);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("scaffold-demo      pass") != std::string::npos);
    r = Run({lar, "bench", "scaffold-demo", "--quick"}, root);
    INFO(r.out, r.err);
    CHECK(r.exit_code == 0);
    fs::remove_all(root);
  }

}  // TEST_SUITE

}  // namespace lar::test
