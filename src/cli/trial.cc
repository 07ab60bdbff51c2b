// lar trial: rebuild, verify on every ISA, bench, apply the keep gate against
// the best kept trial of this target on this machine, record the run and
// append one row to results.tsv.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "harness/record.h"
#include "harness/subprocess.h"
#include "harness/trial.h"
#include "lar_config.h"

namespace lar {
namespace {

namespace fs = std::filesystem;

constexpr const char* kTrialHelp =
    "Verify (every ISA, fixed + fresh seed), bench, and gate a target's "
    "kernel against the best kept trial of this target on this machine; "
    "append one row to results.tsv and the full record to .lar/runs/.\n"
    "Exit codes: 0 keep or baseline, 1 discard, 2 correctness, 3 budget "
    "(timeout), 4 crash or build failure, 5 a file other than "
    "targets/<id>/kernels.cc changed since the best, 64 usage error.";

struct Build {
  bool failed = false;
  std::string output;
};

// When this lar is build/lar of its own source tree, runs ninja first so
// the trial measures the kernels.cc on disk, and re-executes itself if the
// binary changed. Any other lar (installed, the test zoo) runs as it is.
Build RebuildIfStale(const TrialOptions& o) {
  Build b;
  if (o.no_rebuild || std::getenv("LAR_TRIAL_REBUILT") != nullptr) return b;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  const fs::path build_dir = LAR_BUILD_DIR;
  if (ec || exe != build_dir / "lar" || !fs::exists(build_dir / "build.ninja")) return b;
  struct stat before;
  if (stat(exe.c_str(), &before) != 0) return b;
  const CommandResult r = RunCommand({"ninja", "-C", build_dir.string(), "lar"}, true);
  if (r.exit_code != 0) {
    b.failed = true;
    b.output = r.output;
    return b;
  }
  struct stat after;
  if (stat(exe.c_str(), &after) == 0 &&
      (after.st_mtim.tv_sec != before.st_mtim.tv_sec ||
       after.st_mtim.tv_nsec != before.st_mtim.tv_nsec || after.st_ino != before.st_ino)) {
    setenv("LAR_TRIAL_REBUILT", "1", 1);
    std::vector<char*> args;
    for (const std::string& a : o.argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(exe.c_str(), args.data());
    std::fprintf(stderr, "lar: rebuilt, but cannot re-run %s; run the command again\n",
                 exe.c_str());
    std::exit(kExitCrash);
  }
  return b;
}

// The first line of compiler output that says "error", for the verdict.
std::string FirstError(const std::string& output) {
  size_t pos = output.find("error");
  if (pos == std::string::npos) return "see the compiler output above";
  const size_t start = output.rfind('\n', pos);
  const size_t end = output.find('\n', pos);
  return output.substr(start == std::string::npos ? 0 : start + 1,
                       end == std::string::npos
                           ? std::string::npos
                           : end - (start == std::string::npos ? 0 : start + 1));
}

}  // namespace

CLI::App* AddTrial(CLI::App& app, TrialOptions& o) {
  CLI::App* cmd = app.add_subcommand("trial", kTrialHelp);
  cmd->add_option("id", o.id, "Target id (see 'lar list')")->required();
  cmd->add_option("-m,--message", o.message, "What changed in this trial (the TSV description)");
  cmd->add_option("--results", o.results_path,
                  "Results file (default results.tsv here); records go to .lar/ beside it");
  cmd->add_option("--isa", o.isa, "Time this ISA instead of the best one (gated separately)");
  cmd->add_option("--isas", o.isas,
                  "Also time the candidate, the best and the reference on each of these ISAs "
                  "(comma-separated); keep only if none of them regresses against the best")
      ->delimiter(',');
  cmd->add_flag("--quick", o.quick, "Small workload and short sampling (smoke tests only)");
  cmd->add_flag("--baseline", o.baseline,
                "Record this trial as a new baseline (after a harness or workload change)");
  cmd->add_flag("--no-rebuild", o.no_rebuild, "Do not run ninja before the trial");
  cmd->add_option("--budget", o.budget_seconds,
                  "Wall-clock limit in seconds, waiting for the bench lock excluded "
                  "(exit 3, recorded as timeout)")
      ->check(kPositiveNumber);
  cmd->add_option("--max-seconds", o.max_seconds,
                  "Sampling cap of the bench phase (default 30 s, 60 s for a baseline)")
      ->check(kPositiveNumber);
  cmd->add_option("--seed", o.seed, "Seed of the workload inputs");
  cmd->add_option("--plant-delay", o.plant_delay_pct,
                  "Testing the gate: time the best kernel this many percent slower (a spin in "
                  "its timed samples), so an unchanged kernel has a known gain; recorded")
      ->check(CLI::Range(0.0, 50.0))
      ->group("Testing");
  return cmd;
}

int RunTrial(const TrialOptions& o) {
  RefuseUnderEmulation("trial");
  const Target& target = ResolveTarget(o.id);
  TrialRequest request;
  request.isa = ResolveIsa(o.isa);
  for (const std::string& name : o.isas) {
    const std::optional<Isa> isa = ResolveIsa(name);
    if (!isa) throw UsageError("--isas: an empty name in the list; e.g. --isas AVX2,AVX3_DL");
    request.isas.push_back(*isa);
  }
  CheckWritable(o.results_path, "--results");
  const Build build = RebuildIfStale(o);
  if (build.failed) {
    std::fputs(build.output.c_str(), stderr);
    request.build_failure = FirstError(build.output);
  }
  request.message = o.message;
  request.results_path = o.results_path;
  request.quick = o.quick;
  request.baseline = o.baseline;
  request.budget_seconds = o.budget_seconds;
  request.max_seconds = o.max_seconds;
  request.seed = o.seed;
  request.planted_delay_pct = o.plant_delay_pct;
  const RunRecord record = RunTrialSteps(target, request);
  std::fputs(FormatBlock(record).c_str(), stdout);
  std::fflush(stdout);
  return record.trial->gate.exit_code;
}

}  // namespace lar
