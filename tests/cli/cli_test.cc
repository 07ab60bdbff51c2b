// End-to-end: the real lar binary on --quick workloads. Exit codes, output
// fields, JSON documents and usage errors.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "harness/isa.h"
#include "process.h"

namespace lar::test {
namespace {

namespace fs = std::filesystem;

ProcessResult Lar(const std::vector<std::string>& args, const std::string& cwd = "") {
  std::vector<std::string> argv = {LarBin()};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, {}, cwd);
}

// A usage error: exit 64, exactly one line on stderr naming the problem,
// nothing on stdout.
void CheckUsageError(const ProcessResult& r, const std::string& mentions) {
  INFO("stderr: ", r.err);
  CHECK(r.exit_code == 64);
  CHECK(r.out.empty());
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.find(mentions) != std::string::npos);
}

}  // namespace

TEST_SUITE("cli") {
  TEST_CASE("lar list names pq-l2, as a table and as JSON") {
    const ProcessResult table = Lar({"list"});
    CHECK(table.exit_code == 0);
    CHECK(table.out.find("pq-l2") != std::string::npos);
    CHECK(table.out.find("zoo-") == std::string::npos);
    const ProcessResult json = Lar({"list", "--json"});
    REQUIRE(json.exit_code == 0);
    const nlohmann::json j = nlohmann::json::parse(json.out);
    bool found = false;
    for (const auto& t : j) {
      if (t.at("id") == "pq-l2") {
        found = true;
        CHECK(t.at("family") == "vector");
        CHECK(t.at("unit") == "query");
      }
    }
    CHECK(found);
  }

  TEST_CASE("lar verify passes and names every ISA it ran") {
    const ProcessResult r = Lar({"verify", "--all", "--quick"});
    INFO(r.out, r.err);
    CHECK(r.exit_code == 0);
    for (const Isa& isa : SupportedIsas()) {
      CHECK(r.out.find(" " + isa.name) != std::string::npos);
    }
    CHECK(r.out.find("pq-l2") != std::string::npos);
    const ProcessResult scalar = Lar({"verify", "pq-l2", "--isa", "scalar", "--seed", "7"});
    INFO(scalar.out);
    CHECK(scalar.exit_code == 0);
    CHECK(scalar.out.find("x 1 ISAs (SCALAR)") != std::string::npos);
    CHECK(scalar.out.find("+ 7") != std::string::npos);
  }

  TEST_CASE("lar bench --quick prints the block and writes the JSON document") {
    const std::string dir = MakeTempDir();
    const std::string json_path = dir + "/run.json";
    const ProcessResult r = Lar({"bench", "pq-l2", "--quick", "--json", json_path});
    INFO(r.out, r.err);
    REQUIRE(r.exit_code == 0);
    for (const char* field : {"---",
                              "target:                  pq-l2",
                              "correctness:             pass",
                              "isa:",
                              "passes:",
                              "shapes_tested:",
                              "distributions_tested:",
                              "geomean_ns_per_query:",
                              "geomean_ns_ci_90pct:",
                              "median_ns_per_query:",
                              "geomean_cycles_per_query:",
                              "speedup_vs_reference:",
                              "speedup_ci_90pct:",
                              "noise_floor_pct:",
                              "worst_ns_per_query:",
                              "best_ns_per_query:",
                              "per_combo_geomean_ns:",
                              "peak_mem_mb:",
                              "total_seconds:",
                              "verdict:"}) {
      CHECK_MESSAGE(r.out.find(field) != std::string::npos, field);
    }
    CHECK(LinesStartingWith(r.out, "  (").size() == 9);
    std::ifstream in(json_path);
    const nlohmann::json doc = nlohmann::json::parse(in);
    CHECK(doc.at("schema_version") == 1);
    CHECK(doc.at("context").contains("cpu_model"));
    CHECK(doc.at("context").contains("highway_version"));
    CHECK(doc.at("context").at("supported_isas").size() >= 1);
    const nlohmann::json& run = doc.at("runs").at(0);
    CHECK(run.at("target") == "pq-l2");
    CHECK(run.at("status") == "ok");
    const nlohmann::json& m = run.at("measurement");
    CHECK(m.at("speedup").get<double>() > 1.0);
    CHECK(m.at("combos").size() == 9);
    CHECK(m.at("combos").at(0).at("samples").at("reference_ns").size() >= 2);
    fs::remove_all(dir);
  }

  TEST_CASE("bench on a forced ISA reports that ISA") {
    const ProcessResult r = Lar({"bench", "pq-l2", "--quick", "--isa", "SCALAR"});
    INFO(r.out, r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("isa:                     SCALAR") != std::string::npos);
  }

  TEST_CASE("usage errors: one line naming the fix, exit 64, nothing written") {
    CheckUsageError(Lar({"bench", "pq-l3"}), "unknown target 'pq-l3'");
    CheckUsageError(Lar({"verify", "nope", "--quick"}), "lar list");
    CheckUsageError(Lar({"verify"}), "--all");
    CheckUsageError(Lar({"bench", "pq-l2", "--isa", "AVX9"}), "unknown ISA 'AVX9'");
    CheckUsageError(Lar({"bench", "pq-l2", "--budget", "abc"}),
                    "--budget: expected a positive number, got 'abc'");
    CheckUsageError(Lar({"bench", "pq-l2", "--budget", "-1"}),
                    "--budget: expected a positive number, got '-1'");
    CheckUsageError(Lar({"bench"}), "id");
    CheckUsageError(Lar({}), "subcommand");
    CheckUsageError(Lar({"frobnicate"}), "frobnicate");
    const std::string dir = MakeTempDir();
    const std::string missing = dir + "/no/such/dir/out.json";
    CheckUsageError(Lar({"bench", "pq-l2", "--quick", "--json", missing}), "does not exist");
    CHECK_FALSE(fs::exists(missing));
    CheckUsageError(Lar({"bench", "pq-l2", "--quick", "--json", dir}), "is a directory");
    fs::remove_all(dir);
  }

  TEST_CASE("help and version exit 0") {
    const ProcessResult help = Lar({"--help"});
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("Exit codes") != std::string::npos);
    CHECK(Lar({"bench", "--help"}).exit_code == 0);
    const ProcessResult version = Lar({"--version"});
    CHECK(version.exit_code == 0);
    CHECK(version.out.find("0.") != std::string::npos);
    CHECK(version.out.find("; " + DescribeIsas()) != std::string::npos);
  }

  TEST_CASE("lar list and --version name the ISAs compiled in and those this CPU runs") {
    const std::string line = DescribeIsas();
    for (const Isa& isa : CompiledIsas()) CHECK(line.find(" " + isa.name) != std::string::npos);
    CHECK(line.find("this CPU runs: " + JoinIsaNames(SupportedIsas())) != std::string::npos);
    const ProcessResult list = Lar({"list"});
    CHECK(list.exit_code == 0);
    CHECK(list.out.find(line + "\n") != std::string::npos);
  }

  TEST_CASE("under emulation bench, trial and calibrate refuse with exit 64; verify runs") {
    const std::string dir = MakeTempDir();
    const std::vector<std::pair<std::string, std::string>> emulated = {{"LAR_EMULATED", "1"}};
    const std::vector<std::vector<std::string>> timed = {
        {"bench", "pq-l2", "--quick"},
        {"trial", "pq-l2", "--quick", "-m", "under emulation"},
        {"calibrate", "pq-l2", "--quick"},
    };
    for (const std::vector<std::string>& args : timed) {
      std::vector<std::string> argv = {LarBin()};
      argv.insert(argv.end(), args.begin(), args.end());
      INFO(args[0]);
      const ProcessResult r = RunProcess(argv, emulated, dir);
      CheckUsageError(r, "lar: " + args[0] + " times kernels, and this CPU is emulated");
      CHECK(r.err.find("(LAR_EMULATED=1)") != std::string::npos);
      CHECK(r.err.find("run 'lar verify' here") != std::string::npos);
    }
    CHECK(fs::is_empty(dir));  // no results.tsv, no .lar/
    const ProcessResult verify =
        RunProcess({LarBin(), "verify", "pq-l2", "--quick", "--isa", "SCALAR"}, emulated, dir);
    INFO(verify.out, verify.err);
    CHECK(verify.exit_code == 0);
    // "0" and "" mean not emulated (the CPU check still applies; none here).
    const ProcessResult off =
        RunProcess({LarBin(), "bench", "pq-l2", "--quick", "--max-seconds", "1", "--isa", "SCALAR"},
                   {{"LAR_EMULATED", "0"}}, dir);
    CHECK(off.exit_code == 0);
    fs::remove_all(dir);
  }

  TEST_CASE("lar gate judges two bench documents and refuses what it cannot compare") {
    const std::string dir = MakeTempDir();
    const std::string best = dir + "/best.json";
    ProcessResult r = Lar({"bench", "pq-l2", "--quick", "--json", best});
    REQUIRE(r.exit_code == 0);
    nlohmann::json doc = nlohmann::json::parse(std::ifstream(best));
    auto write = [&](const std::string& name, const nlohmann::json& d) {
      std::ofstream(dir + "/" + name) << d.dump();
      return dir + "/" + name;
    };
    // The same run against itself: no gain, discard (exit 1), by the records.
    r = Lar({"gate", best, best});
    INFO(r.out, r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("rule:        significance") != std::string::npos);
    CHECK(r.out.find("comparison:  records") != std::string::npos);
    // 20% faster everywhere: keep (exit 0).
    nlohmann::json faster = doc;
    nlohmann::json& m = faster["runs"][0]["measurement"];
    m["speedup"] = m["speedup"].get<double>() * 1.2;
    for (nlohmann::json& c : m["combos"]) c["speedup"] = c["speedup"].get<double>() * 1.2;
    r = Lar({"gate", best, write("faster.json", faster)});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("verdict:     keep") != std::string::npos);
    // A trial that was not correct: exit 2 whatever its speed.
    faster["runs"][0]["correctness"] = "fail";
    faster["runs"][0]["status"] = "fail";
    r = Lar({"gate", best, write("wrong.json", faster)});
    CHECK(r.exit_code == 2);
    // The trial's recorded noise floor is used when none is given.
    nlohmann::json floored = doc;
    floored["runs"][0]["noise_floor_pct"] = 0.42;
    r = Lar({"gate", best, write("floored.json", floored)});
    CHECK(r.out.find("noise floor: 0.42% (the trial's record)") != std::string::npos);
    // Another ISA, another target, another kind of document: exit 64.
    nlohmann::json other_isa = doc;
    other_isa["runs"][0]["isa"] = "SCALAR";
    CheckUsageError(Lar({"gate", best, write("isa.json", other_isa)}), "different ISAs");
    nlohmann::json other_target = doc;
    other_target["runs"][0]["target"] = "pq-dot";
    CheckUsageError(Lar({"gate", best, write("target.json", other_target)}), "different targets");
    const std::string report = write("report.json", {{"schema_version", 1}, {"groups", {}}});
    CheckUsageError(Lar({"gate", best, report}), "not a lar run document");
    CheckUsageError(Lar({"gate", best, dir + "/missing.json"}), "cannot read");
    fs::remove_all(dir);
  }

  TEST_CASE("lar calibrate prints each target's noise floor; --quick stores nothing") {
    const std::string dir = MakeTempDir();
    const ProcessResult r =
        Lar({"calibrate", "pq-l2", "--quick", "--results", dir + "/results.tsv"});
    INFO(r.out, r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("pq-l2") != std::string::npos);
    CHECK(r.out.find("noise_floor_pct:") != std::string::npos);
    CHECK(r.out.find("keep_minimum_pct:") != std::string::npos);
    CHECK(r.out.find("not stored") != std::string::npos);
    CHECK_FALSE(fs::exists(dir + "/.lar/calibration.json"));
    CheckUsageError(Lar({"calibrate", "nope"}), "unknown target");
    fs::remove_all(dir);
  }

  TEST_CASE("lar calibrate --layouts times the kernel against itself moved in memory") {
    const std::string dir = MakeTempDir();
    const ProcessResult r =
        Lar({"calibrate", "topk-merge", "--quick", "--layouts", "--results", dir + "/results.tsv"});
    INFO(r.out, r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("topk-merge         layout_spread_pct: ") != std::string::npos);
    for (const char* part : {"L1 ", "L2 ", "L3 ", "control, a copy of the same layout: "}) {
      CHECK(r.out.find(part) != std::string::npos);
    }
    // Every layout is its own shared object, its text moved by the padding.
    int layouts = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir + "/.lar/kernels")) {
      const std::string name = e.path().filename().string();
      if (name.rfind("kernels.L", 0) == 0 && e.path().extension() == ".so") ++layouts;
      if (name == "pad-3.S") {
        std::ifstream in(e.path());
        const std::string text((std::istreambuf_iterator<char>(in)), {});
        CHECK(text.find(".skip 3120") != std::string::npos);
      }
    }
    CHECK(layouts == 3);
    fs::remove_all(dir);
  }

}  // TEST_SUITE

}  // namespace lar::test
