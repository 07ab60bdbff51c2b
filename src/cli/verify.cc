// lar verify: the correctness battery of targets on every ISA.
#include <cinttypes>
#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "base/strings.h"
#include "cli/common.h"
#include "harness/phases.h"

namespace lar {
namespace {

std::string SeedList(const std::vector<uint64_t>& seeds) {
  std::string out;
  for (uint64_t s : seeds) {
    out += (out.empty() ? "" : " + ") + std::to_string(s);
  }
  return out;
}

}  // namespace

CLI::App* AddVerify(CLI::App& app, VerifyOptions& o) {
  CLI::App* cmd =
      app.add_subcommand("verify",
                         "Run the correctness battery of targets on every ISA compiled in and "
                         "supported here (exit 0 pass, 2 fail, 3 timeout, 4 crash)");
  cmd->add_option("ids", o.ids, "Target ids (see 'lar list')");
  cmd->add_flag("--all", o.all, "Verify every landed target");
  cmd->add_option("--isa", o.isa, "Only this ISA (e.g. AVX2, SSE4, SCALAR)");
  cmd->add_option("--seed", o.seed, "Also run a battery drawn from this seed (failures print it)")
      ->each([&o](const std::string&) { o.has_seed = true; });
  cmd->add_flag("--quick", o.quick, "Smaller battery (sanitizer builds, smoke tests)");
  cmd->add_option("--budget", o.budget_seconds,
                  "Wall-clock limit per target in seconds (exit 3 when exceeded)")
      ->check(kPositiveNumber);
  return cmd;
}

int RunVerify(const VerifyOptions& o) {
  const std::vector<const Target*> targets = ResolveTargets(o.ids, o.all);
  std::vector<Isa> isas;
  if (std::optional<Isa> forced = ResolveIsa(o.isa)) {
    isas.push_back(*forced);
  } else {
    isas = SupportedIsas();
  }
  std::vector<uint64_t> seeds = {kFixedSeed};
  if (o.has_seed) seeds.push_back(o.seed);

  int exit_code = kExitOk;
  int passed = 0;
  for (const Target* target : targets) {
    const VerifyPhase phase = RunVerifyPhase(*target, isas, seeds, o.quick, o.budget_seconds);
    const VerifyReport& r = phase.report;
    switch (phase.status) {
      case PhaseStatus::kOk:
        ++passed;
        std::printf("%-18s pass   %zu cases x %zu ISAs (%s), seeds %s, %.1f s\n",
                    target->id.c_str(), r.cases, r.isas.size(), JoinIsaNames(isas).c_str(),
                    SeedList(r.seeds).c_str(), phase.seconds);
        break;
      case PhaseStatus::kFailed: {
        std::printf("%-18s FAIL   %zu failing (case, ISA) pairs of %zu cases x %zu ISAs\n",
                    target->id.c_str(), r.failure_count, r.cases, isas.size());
        for (const VerifyFailure& f : r.failures) {
          const Mismatch& m = f.mismatch;
          std::printf("  FAIL %s [%s] case '%s': %s[%zu] expected %s, got %s (%s)\n",
                      target->id.c_str(), f.isa.c_str(), f.case_name.c_str(), m.field.c_str(),
                      m.index, m.expected.c_str(), m.got.c_str(), m.rule.c_str());
          std::printf("       reproduce: lar verify %s --isa %s --seed %" PRIu64 "\n",
                      target->id.c_str(), f.isa.c_str(), f.seed);
        }
        if (r.failure_count > r.failures.size()) {
          std::printf("  ... and %zu more\n", r.failure_count - r.failures.size());
        }
        if (exit_code == kExitOk) exit_code = kExitCorrectness;
        break;
      }
      case PhaseStatus::kCrashed:
        std::printf("%-18s CRASH  %s\n", target->id.c_str(), phase.failure.c_str());
        std::printf("       reproduce: lar verify %s%s\n", target->id.c_str(),
                    o.isa.empty() ? "" : (" --isa " + o.isa).c_str());
        exit_code = kExitCrash;
        break;
      case PhaseStatus::kTimedOut:
        std::printf("%-18s TIMEOUT %s (budget %.0f s)\n", target->id.c_str(), phase.failure.c_str(),
                    o.budget_seconds);
        if (exit_code != kExitCrash) exit_code = kExitBudget;
        break;
    }
    std::fflush(stdout);
  }
  std::printf("verify: %d of %zu targets passed on %s\n", passed, targets.size(),
              JoinIsaNames(isas).c_str());
  return exit_code;
}

}  // namespace lar
