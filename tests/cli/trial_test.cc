// lar trial end to end on --quick workloads: baseline, discard of an
// unchanged kernel, keep of a faster one, discard of a slower one, the
// failure statuses, edit scope, and a trial killed mid-way.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "harness/isa.h"
#include "harness/results.h"
#include "process.h"

namespace lar::test {
namespace {

namespace fs = std::filesystem;

using Env = std::vector<std::pair<std::string, std::string>>;

// Runs in `cwd`, by default the system temp dir: outside any git checkout,
// so the edit-scope rule is skipped unless a test sets up a repository.
ProcessResult Trial(const std::string& bin, const std::vector<std::string>& args,
                    const Env& env = {}, const std::string& cwd = "") {
  std::vector<std::string> argv = {bin, "trial"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--quick", "--no-rebuild"});
  return RunProcess(argv, env, cwd.empty() ? fs::temp_directory_path().string() : cwd);
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<ResultRow> Rows(const std::string& path) {
  const ResultsFile f = ReadResults(path);
  CHECK(f.warnings.empty());
  return f.rows;
}

void Git(const std::string& repo, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/git",
                                   "-C",
                                   repo,
                                   "-c",
                                   "user.name=lar-test",
                                   "-c",
                                   "user.email=lar-test@example.invalid"};
  argv.insert(argv.end(), args.begin(), args.end());
  const ProcessResult r = RunProcess(argv);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

void Write(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path) << text;
}

}  // namespace

TEST_SUITE("cli") {
  TEST_CASE("pq-l2: the first trial is the baseline, the unchanged kernel is discarded") {
    const std::string dir = MakeTempDir();
    const std::string results = dir + "/results.tsv";
    const ProcessResult a = Trial(LarBin(), {"pq-l2", "-m", "baseline", "--results", results});
    INFO(a.out, a.err);
    REQUIRE(a.exit_code == 0);
    CHECK(a.out.find("verdict:                 baseline") != std::string::npos);
    const ProcessResult b = Trial(LarBin(), {"pq-l2", "-m", "unchanged", "--results", results});
    INFO(b.out, b.err);
    CHECK(b.exit_code == 1);
    CHECK(b.out.find("verdict:                 discard") != std::string::npos);
    // The kernel and the best were timed in the same loop.
    CHECK(b.out.find("speedup_vs_best:") != std::string::npos);
    const std::vector<ResultRow> rows = Rows(results);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].keep == "baseline");
    CHECK(rows[1].keep == "discard");
    CHECK(rows[1].description == "unchanged");
    for (const ResultRow& r : rows) {
      CHECK(fs::exists(dir + "/.lar/runs/" + r.run_id + ".json"));
      CHECK(r.speedup > 1.0);
    }
    CHECK(fs::exists(dir + "/.lar/calibration.json"));
    fs::remove_all(dir);
  }

  TEST_CASE(
      "--plant-delay: the best timed slower by a known amount is a known gain, and recorded") {
    const std::string dir = MakeTempDir();
    const std::string results = dir + "/results.tsv";
    // A baseline has no best to delay: the option is ignored, and said so.
    ProcessResult r =
        Trial(LarBin(), {"pq-l2", "-m", "baseline", "--results", results, "--plant-delay", "20"});
    INFO(r.out, r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("--plant-delay ignored: this trial is a baseline") != std::string::npos);
    // The unchanged kernel against its best timed 20% slower: kept, with
    // a measured gain near +20% (it lands on the best whichever slot the
    // process runs it in; on the wrong kernel it would read -17%).
    r = Trial(LarBin(), {"pq-l2", "-m", "planted", "--results", results, "--plant-delay", "20"});
    INFO(r.out, r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("[testing: the best was timed 20.00% slower]") != std::string::npos);
    const std::vector<ResultRow> rows = Rows(results);
    REQUIRE(rows.size() == 2);
    CHECK(rows[1].keep == "keep");
    const nlohmann::json doc =
        nlohmann::json::parse(Slurp(dir + "/.lar/runs/" + rows[1].run_id + ".json"));
    const nlohmann::json& run = doc.at("runs").at(0);
    CHECK(run.at("trial").at("planted_delay_pct").get<double>() == 20.0);
    const double gain = run.at("trial").at("gate").at("gain").get<double>();
    CHECK(gain > 0.12);
    CHECK(gain < 0.30);
    fs::remove_all(dir);
  }

  TEST_CASE("a faster kernel is kept, a slower one discarded") {
    const std::string dir = MakeTempDir();
    const std::string results = dir + "/results.tsv";
    const std::vector<std::string> args = {"zoo-spin", "--results", results, "-m"};
    auto run = [&](const std::string& spin, const std::string& message) {
      std::vector<std::string> a = args;
      a.push_back(message);
      return Trial(ZooBin(), a, {{"LAR_ZOO_SPIN_NS", spin}});
    };
    ProcessResult r = run("20000", "baseline, 20 us of spin");
    INFO(r.out, r.err);
    REQUIRE(r.exit_code == 0);
    r = run("0", "no spin");
    INFO(r.out, r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("verdict:                 keep") != std::string::npos);
    r = run("60000", "60 us of spin");
    INFO(r.out, r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("verdict:                 discard") != std::string::npos);
    const std::vector<ResultRow> rows = Rows(results);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].keep == "baseline");
    CHECK(rows[1].keep == "keep");
    CHECK(rows[2].keep == "discard");
    fs::remove_all(dir);
  }

  TEST_CASE("wrong, crashing and hanging kernels get their status, exit code and row") {
    const std::string dir = MakeTempDir();
    const std::string results = dir + "/results.tsv";
    ProcessResult r = Trial(ZooBin(), {"zoo-wrong", "--results", results});
    INFO(r.out, r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.find("reproduce: lar verify zoo-wrong --isa") != std::string::npos);
    r = Trial(ZooBin(), {"zoo-crash", "--results", results});
    INFO(r.out, r.err);
    CHECK(r.signal == 0);
    CHECK(r.exit_code == 4);
    CHECK(r.out.find("SIGSEGV") != std::string::npos);
    r = Trial(ZooBin(), {"zoo-hang", "--results", results, "--budget", "3"});
    INFO(r.out, r.err);
    CHECK(r.exit_code == 3);
    r = Trial(ZooBin(), {"zoo-timed-wrong", "--results", results});
    CHECK(r.exit_code == 2);
    const std::vector<ResultRow> rows = Rows(results);
    REQUIRE(rows.size() == 4);
    CHECK(rows[0].keep == "discard");
    CHECK(rows[0].correctness == "fail");
    CHECK(rows[1].keep == "crash");
    CHECK(rows[2].keep == "timeout");
    CHECK(rows[3].keep == "discard");
    CHECK(rows[3].correctness == "fail");
    fs::remove_all(dir);
  }

  TEST_CASE("--isas: a kernel faster at the best ISA but slower at another is discarded") {
    const std::vector<Isa> isas = SupportedIsas();
    if (isas.size() < 2) return;  // a one-ISA CPU has nothing to compare
    const std::string a = isas[0].name, b = isas[1].name;
    const std::string both = a + "," + b;
    const Env faster_at_a_slower_at_b = {{"LAR_ZOO_SPIN_AT", a + ":0," + b + ":60000"}};
    for (const bool with_isas : {false, true}) {
      INFO("with --isas: ", with_isas);
      const std::string dir = MakeTempDir();
      const std::string results = dir + "/results.tsv";
      ProcessResult r =
          Trial(ZooBin(), {"zoo-isa-skew", "--results", results, "--isas", both, "-m", "baseline"},
                {{"LAR_ZOO_SPIN_NS", "20000"}});
      INFO(r.out, r.err);
      REQUIRE(r.exit_code == 0);
      CHECK(r.out.find("speedup_at_" + b) != std::string::npos);
      std::vector<std::string> args = {"zoo-isa-skew", "--results", results, "-m", "skewed"};
      if (with_isas) args.insert(args.end(), {"--isas", both});
      r = Trial(ZooBin(), args, faster_at_a_slower_at_b);
      INFO(r.out, r.err);
      if (with_isas) {
        CHECK(r.exit_code == 1);
        CHECK(r.out.find("but " + b + " regressed") != std::string::npos);
      } else {
        CHECK(r.exit_code == 0);
        CHECK(r.out.find("verdict:                 keep") != std::string::npos);
      }
      const std::vector<ResultRow> rows = Rows(results);
      REQUIRE(rows.size() == 2);
      CHECK(rows[0].per_isa.find(b + " x") != std::string::npos);
      CHECK(rows[1].keep == (with_isas ? "discard" : "keep"));
      fs::remove_all(dir);
    }
  }

  TEST_CASE("edit scope: only the target's kernels.cc may change since the best") {
    const std::string repo = MakeTempDir();
    Write(repo + "/targets/zoo-spin/kernels.cc", "// kernel v1\n");
    Write(repo + "/README.md", "readme v1\n");
    Write(repo + "/.gitignore", "/results.tsv\n/.lar/\n");
    Git(repo, {"init", "-q"});
    Git(repo, {"add", "-A"});
    Git(repo, {"commit", "-q", "-m", "start"});
    ProcessResult r = Trial(ZooBin(), {"zoo-spin", "-m", "baseline"}, {}, repo);
    INFO(r.out, r.err);
    REQUIRE(r.exit_code == 0);
    // The kernel file itself, committed or not: allowed.
    Write(repo + "/targets/zoo-spin/kernels.cc", "// kernel v2\n");
    r = Trial(ZooBin(), {"zoo-spin", "-m", "kernel edit"}, {}, repo);
    INFO(r.out, r.err);
    CHECK((r.exit_code == 0 || r.exit_code == 1));
    Git(repo, {"commit", "-q", "-am", "kernel v2"});
    // Anything else: invalid, exit 5, without running the kernel.
    Write(repo + "/README.md", "readme v2\n");
    r = Trial(ZooBin(), {"zoo-spin", "-m", "touched the readme"}, {}, repo);
    INFO(r.out, r.err);
    CHECK(r.exit_code == 5);
    CHECK(r.out.find("README.md") != std::string::npos);
    const std::vector<ResultRow> rows = Rows(repo + "/results.tsv");
    REQUIRE(rows.size() == 3);
    CHECK(rows[2].keep == "invalid");
    CHECK(rows[2].dirty);
    // --baseline starts over from the current tree.
    r = Trial(ZooBin(), {"zoo-spin", "-m", "new baseline", "--baseline"}, {}, repo);
    CHECK(r.exit_code == 0);
    fs::remove_all(repo);
  }

  TEST_CASE(
      "edit scope: stray files the build cannot see do not invalidate; an untracked header does") {
    const std::string repo = MakeTempDir();
    Write(repo + "/targets/zoo-spin/kernels.cc", "// kernel v1\n");
    Write(repo + "/.gitignore", "/results.tsv\n/.lar/\n");
    Git(repo, {"init", "-q"});
    Git(repo, {"add", "-A"});
    Git(repo, {"commit", "-q", "-m", "start"});
    ProcessResult r = Trial(ZooBin(), {"zoo-spin", "-m", "baseline"}, {}, repo);
    INFO(r.out, r.err);
    REQUIRE(r.exit_code == 0);
    // The chart with its default path, and a stray file in the root.
    r = RunProcess({ZooBin(), "report", "--svg"}, {}, repo);
    REQUIRE(r.exit_code == 0);
    CHECK(fs::exists(repo + "/.lar/progress.svg"));
    Write(repo + "/progress.svg", "<svg/>\n");
    Write(repo + "/notes/ideas.md", "try unrolling\n");
    r = Trial(ZooBin(), {"zoo-spin", "-m", "stray files"}, {}, repo);
    INFO(r.out, r.err);
    CHECK((r.exit_code == 0 || r.exit_code == 1));
    // A header beside kernels.cc could be included by it: invalid.
    Write(repo + "/targets/zoo-spin/helper.h", "#pragma once\n");
    r = Trial(ZooBin(), {"zoo-spin", "-m", "untracked header"}, {}, repo);
    CHECK(r.exit_code == 5);
    CHECK(r.out.find("targets/zoo-spin/helper.h") != std::string::npos);
    CHECK(r.out.find("progress.svg") == std::string::npos);
    const std::vector<ResultRow> rows = Rows(repo + "/results.tsv");
    REQUIRE(rows.size() == 3);
    CHECK(rows[1].keep != "invalid");
    CHECK(rows[2].keep == "invalid");
    fs::remove_all(repo);
  }

  TEST_CASE("a trial killed mid-way leaves results.tsv intact") {
    const std::string dir = MakeTempDir();
    const std::string results = dir + "/results.tsv";
    REQUIRE(Trial(ZooBin(), {"zoo-spin", "--results", results, "-m", "baseline"}).exit_code == 0);
    const std::string before = Slurp(results);
    // A slow trial (2 ms of spin per operation), killed with its process group.
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      setpgid(0, 0);
      setenv("LAR_ZOO_SPIN_NS", "2000000", 1);
      const int devnull = open("/dev/null", O_WRONLY);
      dup2(devnull, STDOUT_FILENO);
      dup2(devnull, STDERR_FILENO);
      if (chdir(dir.c_str()) != 0) _exit(126);
      execl(ZooBin().c_str(), ZooBin().c_str(), "trial", "zoo-spin", "--quick", "--no-rebuild",
            "--results", results.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    setpgid(pid, pid);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    kill(-pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status));
    CHECK(Slurp(results) == before);
    // The next trial appends normally.
    CHECK(Trial(ZooBin(), {"zoo-spin", "--results", results, "-m", "after"}).exit_code <= 1);
    CHECK(Rows(results).size() == 2);
    fs::remove_all(dir);
  }

}  // TEST_SUITE

}  // namespace lar::test
