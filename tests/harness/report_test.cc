// lar report's model and writers on a synthetic history.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness/report.h"

namespace lar {
namespace {

namespace fs = std::filesystem;

ResultRow Row(const std::string& keep, double speedup, const std::string& description,
              const std::string& machine = "m1") {
  ResultRow r;
  r.commit = "c" + std::to_string(static_cast<int>(speedup * 100));
  r.timestamp = "2026-11-24T10:00:00+0000";
  r.correctness = keep == "crash" ? "crash" : "pass";
  r.keep = keep;
  r.description = description;
  r.target = "pq-l2";
  r.isa = "AVX2";
  if (keep != "crash") {
    r.speedup = speedup;
    r.speedup_ci_lo = speedup * 0.995;
    r.speedup_ci_hi = speedup * 1.005;
  }
  r.machine = machine;
  r.run_id = "run-" + description;
  return r;
}

std::string History(const std::string& machine = "m1") {
  std::string t = (fs::temp_directory_path() / "lar-report-XXXXXX").string();
  REQUIRE(mkdtemp(t.data()) != nullptr);
  const std::string path = t + "/results.tsv";
  AppendRow(path, Row("baseline", 4.0, "baseline", machine));
  AppendRow(path, Row("discard", 3.9, "worse", machine));
  AppendRow(path, Row("keep", 4.4, "unroll x2", machine));
  AppendRow(path, Row("crash", 0, "oops", machine));
  AppendRow(path, Row("keep", 4.84, "prefetch", machine));
  AppendRow(path, Row("discard", 4.8, "noise", machine));
  return path;
}

}  // namespace

TEST_SUITE("unit") {

TEST_CASE("baseline, best, frontier, counts and gain") {
  const std::string path = History();
  const Report r = BuildReport({path}, "");
  REQUIRE(r.groups.size() == 1);
  const TargetReport& g = r.groups[0];
  CHECK(g.rows.size() == 6);
  REQUIRE(g.baseline != nullptr);
  REQUIRE(g.best != nullptr);
  CHECK(g.best->description == "prefetch");
  CHECK(g.frontier.size() == 3);
  CHECK(g.counts.at("discard") == 2);
  CHECK(g.counts.at("crash") == 1);
  CHECK(g.gain == doctest::Approx(0.21));
  CHECK(g.gain_lo < g.gain);
  CHECK(g.gain < g.gain_hi);
  const std::string text = FormatReportText(r, 3);
  CHECK(text.find("+10.0%") != std::string::npos);  // unroll over baseline
  CHECK(text.find("prefetch") != std::string::npos);
  // The best's record is missing: a warning, not a failure.
  CHECK_FALSE(r.warnings.empty());
  fs::remove_all(fs::path(path).parent_path());
}

TEST_CASE("several files merge, grouped by machine") {
  const std::string a = History("m1"), b = History("m2");
  const Report r = BuildReport({a, b}, "pq-l2");
  REQUIRE(r.groups.size() == 2);
  CHECK(r.groups[0].machine == "m1");
  CHECK(r.groups[1].machine == "m2");
  const std::string text = FormatReportText(r, 5);
  CHECK(text.find("== machine m1") != std::string::npos);
  CHECK(text.find("== machine m2") != std::string::npos);
  CHECK(BuildReport({a}, "other-target").groups.empty());
  fs::remove_all(fs::path(a).parent_path());
  fs::remove_all(fs::path(b).parent_path());
}

TEST_CASE("a missing file is an error; a malformed row is a warning") {
  CHECK_THROWS(BuildReport({"/nonexistent/results.tsv"}, ""));
  const std::string path = History();
  {
    std::ofstream out(path, std::ios::app);
    out << "not\ta\trow\n";
  }
  const Report r = BuildReport({path}, "");
  bool warned = false;
  for (const std::string& w : r.warnings) warned = warned || w.find(":8: malformed row") != std::string::npos;
  CHECK(warned);
  CHECK(r.groups.at(0).rows.size() == 6);
  fs::remove_all(fs::path(path).parent_path());
}

TEST_CASE("the SVG marks kept, discarded and crashed trials and the running best") {
  const std::string path = History();
  const std::string svg = RenderReportSvg(BuildReport({path}, ""));
  CHECK(svg.rfind("<svg", 0) == 0);
  auto count = [&](const std::string& what) {
    size_t n = 0;
    for (size_t p = svg.find(what); p != std::string::npos; p = svg.find(what, p + 1)) ++n;
    return n;
  };
  CHECK(count("class=\"kept\">") == 3);
  CHECK(count("class=\"discard\">") == 2);
  CHECK(count("<g class=\"crash\"><path") == 2);  // the trial and the legend
  CHECK(count("class=\"best\"/>") == 2);          // the step line and the legend
  CHECK(svg.find("trial #") != std::string::npos);
  CHECK(svg.find("speed-up vs scalar reference") != std::string::npos);
  fs::remove_all(fs::path(path).parent_path());
}

TEST_CASE("the Markdown block has the PR sections") {
  const std::string path = History();
  const std::string md = FormatReportMarkdown(BuildReport({path}, ""));
  // Every kept step is listed with its own gain; without the trials'
  // records the gains are cross-run and say so; the commands name the ISA.
  for (const char* part : {"### pq-l2 [AVX2]: +21.0% in 2 steps", "**Technique**",
                           "| 1 | `c440` | +10.0% (cross-run", "| 2 | `c484` | +10.0% (cross-run",
                           "unroll x2", "prefetch", "**Speed-up**: +21.0%", "cross-run",
                           "**Correctness**", "with `|got - ref| <= 1e-4 + 1e-5*|ref|`",
                           "**Machine**", "**Reproduce**", "git checkout c484",
                           "build/lar bench pq-l2 --isa AVX2"}) {
    CHECK_MESSAGE(md.find(part) != std::string::npos, part);
  }
  fs::remove_all(fs::path(path).parent_path());
}

}  // TEST_SUITE

}  // namespace lar
