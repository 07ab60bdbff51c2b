// lar report end to end: text, JSON, Markdown, SVG; malformed input warns.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "process.h"

namespace lar::test {
namespace {

namespace fs = std::filesystem;

ProcessResult Lar(const std::string& bin, const std::vector<std::string>& args,
                  const std::vector<std::pair<std::string, std::string>>& env = {}) {
  std::vector<std::string> argv = {bin};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, env, std::filesystem::temp_directory_path().string());
}

}  // namespace

TEST_SUITE("cli") {
  TEST_CASE("report reads trials, writes every format, and survives a malformed row") {
    const std::string dir = MakeTempDir();
    const std::string results = dir + "/results.tsv";
    for (const char* spin : {"20000", "0", "40000"}) {
      Lar(ZooBin(),
          {"trial", "zoo-spin", "--quick", "--no-rebuild", "--results", results, "-m",
           std::string("spin ") + spin},
          {{"LAR_ZOO_SPIN_NS", spin}});
    }
    ProcessResult r = Lar(ZooBin(), {"report", results});
    INFO(r.out, r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("zoo-spin") != std::string::npos);
    CHECK(r.out.find("baseline:") != std::string::npos);
    CHECK(r.out.find("best:") != std::string::npos);
    CHECK(r.out.find("frontier") != std::string::npos);
    CHECK(r.out.find("per combo, best vs baseline") != std::string::npos);

    r = Lar(ZooBin(), {"report", results, "--json"});
    REQUIRE(r.exit_code == 0);
    const nlohmann::json j = nlohmann::json::parse(r.out);
    CHECK(j.at("groups").at(0).at("target") == "zoo-spin");
    CHECK(j.at("groups").at(0).at("frontier").size() == 2);

    r = Lar(ZooBin(), {"report", results, "--markdown"});
    CHECK(r.out.find("**Speed-up**") != std::string::npos);

    const std::string svg = dir + "/progress.svg";
    r = Lar(ZooBin(), {"report", results, "--svg", svg});
    CHECK(r.exit_code == 0);
    std::ifstream in(svg);
    std::string first;
    std::getline(in, first);
    CHECK(first.rfind("<svg", 0) == 0);

    {
      std::ofstream out(results, std::ios::app);
      out << "this is not a row\n";
    }
    r = Lar(ZooBin(), {"report", results});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("results.tsv:5: malformed row") != std::string::npos);
    CHECK(r.out.find("zoo-spin") != std::string::npos);

    r = Lar(ZooBin(), {"report", dir + "/missing.tsv"});
    CHECK(r.exit_code == 64);
    CHECK(r.err.find("no results file") != std::string::npos);
    fs::remove_all(dir);
  }

}  // TEST_SUITE

}  // namespace lar::test
