// The broken-kernel zoo (docs/robustness.md, "Integrity of the loop"): each deliberately broken
// kernel, run through the real lar-zoo binary, is caught with the right status and exit code, and
// lar stays alive to say so.
#include <doctest/doctest.h>

#include "process.h"

namespace lar::test {
namespace {

ProcessResult Zoo(const std::vector<std::string>& args,
                  const std::vector<std::pair<std::string, std::string>>& env = {}) {
  std::vector<std::string> argv = {ZooBin()};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, env);
}

bool Has(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

}  // namespace

TEST_SUITE("cli") {
  TEST_CASE("a wrong kernel fails verify with case, ISA, index, values and a repro") {
    const ProcessResult r = Zoo({"verify", "zoo-wrong", "--isa", "SCALAR"});
    INFO(r.out, r.err);
    CHECK(r.exit_code == 2);
    CHECK(Has(r.out, "FAIL"));
    CHECK(Has(r.out, "zoo-wrong [SCALAR] case '"));
    CHECK(Has(r.out, "distances["));
    CHECK(Has(r.out, "expected "));
    CHECK(Has(r.out, ", got "));
    CHECK(Has(r.out, "reproduce: lar verify zoo-wrong --isa SCALAR --seed "));
    const ProcessResult b = Zoo({"bench", "zoo-wrong", "--quick"});
    CHECK(b.exit_code == 2);
    CHECK(Has(b.out, "correctness:             fail"));
  }

  TEST_CASE("a segfaulting kernel is a crash (exit 4) named by its signal") {
    const ProcessResult v = Zoo({"verify", "zoo-crash", "--quick"});
    INFO(v.out, v.err);
    CHECK(v.signal == 0);  // lar itself survived
    CHECK(v.exit_code == 4);
    CHECK(Has(v.out, "CRASH"));
    CHECK(Has(v.out, "SIGSEGV"));
    CHECK(Has(v.out, "during verify zoo-crash ["));
    const ProcessResult b = Zoo({"bench", "zoo-crash", "--quick"});
    INFO(b.out, b.err);
    CHECK(b.exit_code == 4);
    CHECK(Has(b.out, "correctness:             crash"));
    CHECK(Has(b.out, "SIGSEGV"));
  }

  TEST_CASE("an illegal instruction is a crash named SIGILL") {
    const ProcessResult v = Zoo({"verify", "zoo-sigill", "--quick"});
    INFO(v.out, v.err);
    CHECK(v.exit_code == 4);
    CHECK(Has(v.out, "SIGILL"));
  }

  TEST_CASE("a kernel wrong only on the timed workload passes verify but fails bench") {
    const ProcessResult v = Zoo({"verify", "zoo-timed-wrong"});
    INFO(v.out, v.err);
    CHECK(v.exit_code == 0);
    const ProcessResult b = Zoo({"bench", "zoo-timed-wrong", "--quick"});
    INFO(b.out, b.err);
    CHECK(b.exit_code == 2);
    CHECK(Has(b.out, "timed output differs from the reference"));
  }

  TEST_CASE("a kernel that caches answers by input address is caught by fresh inputs") {
    const ProcessResult v = Zoo({"verify", "zoo-cache", "--quick"});
    CHECK(v.exit_code == 0);
    const ProcessResult b = Zoo({"bench", "zoo-cache", "--quick"});
    INFO(b.out, b.err);
    CHECK(b.exit_code == 2);
    CHECK(Has(b.out, "correctness:             fail"));
  }

  TEST_CASE("a hanging kernel is killed at the budget (exit 3)") {
    const ProcessResult v = Zoo({"verify", "zoo-hang", "--quick", "--budget", "2"});
    INFO(v.out, v.err);
    CHECK(v.exit_code == 3);
    CHECK(Has(v.out, "TIMEOUT"));
    const ProcessResult b = Zoo({"bench", "zoo-hang", "--quick", "--budget", "2"});
    INFO(b.out, b.err);
    CHECK(b.exit_code == 3);
    CHECK(Has(b.out, "correctness:             timeout"));
  }

  TEST_CASE("zoo targets are listed as test-only and left out of --all") {
    const ProcessResult l = Zoo({"list"});
    CHECK(Has(l.out, "zoo-wrong"));
    CHECK(Has(l.out, "test-only"));
    const ProcessResult v = Zoo({"verify", "--all", "--quick"});
    CHECK(v.exit_code == 0);
    CHECK_FALSE(Has(v.out, "zoo-"));
  }

}  // TEST_SUITE

}  // namespace lar::test
