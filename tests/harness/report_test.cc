// lar report's model and writers on a synthetic history.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <vector>

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

// ~30 trials per ISA with every kind of outcome, adjacent keeps and long
// descriptions at the right edge: what made the first chart unreadable.
std::string BusyHistory() {
  std::string t = (fs::temp_directory_path() / "lar-report-XXXXXX").string();
  REQUIRE(mkdtemp(t.data()) != nullptr);
  const std::string path = t + "/results.tsv";
  const std::string long_text =
      "gather the centroid distances with a permutexvar table lookup and keep four "
      "independent accumulators to hide the latency of the lookups";
  for (const char* isa : {"AVX3_DL", "AVX2"}) {
    double best = 4.0;
    for (int i = 1; i <= 30; ++i) {
      const bool keep = i <= 4 || i >= 28;
      const char* kind = i == 1    ? "baseline"
                         : keep    ? "keep"
                         : i == 7  ? "crash"
                         : i == 9  ? "timeout"
                         : i == 11 ? "invalid"
                                   : "discard";
      if (keep && i > 1) best *= 1.05;
      ResultRow r = Row(kind, keep ? best : best * 0.97, long_text + " " + std::to_string(i));
      r.isa = isa;
      r.machine = "zen4-abc123";
      if (i == 13) {  // a correctness failure: discarded before timing
        r.correctness = "fail";
        r.speedup = r.speedup_ci_lo = r.speedup_ci_hi = NAN;
      }
      if (r.keep == "timeout" || r.keep == "invalid") {
        r.speedup = r.speedup_ci_lo = r.speedup_ci_hi = NAN;
      }
      AppendRow(path, r);
    }
  }
  return path;
}

double Attr(const std::string& tag, const std::string& name, double absent = NAN) {
  const size_t p = tag.find(" " + name + "=\"");
  return p == std::string::npos ? absent : std::stod(tag.substr(p + name.size() + 3));
}

// A <text> element of the chart with its extent as the chart estimates it
// (svg.cc: 0.62 em a character, 0.68 bold; font sizes from its style).
struct SvgText {
  std::string tag, content;
  double x0 = 0, x1 = 0, y0 = 0, y1 = 0;
};

std::vector<SvgText> Texts(const std::string& svg) {
  std::vector<SvgText> out;
  for (size_t p = svg.find("<text"); p != std::string::npos; p = svg.find("<text", p + 1)) {
    SvgText t;
    const size_t open_end = svg.find('>', p), close = svg.find("</text>", p);
    t.tag = svg.substr(p, open_end - p);
    for (size_t i = open_end + 1; i < close; ++i) {
      if (svg[i] == '&') i = svg.find(';', i);
      if ((svg[i] & 0xC0) != 0x80) t.content += svg[i] == ';' ? '?' : svg[i];
    }
    const bool bold = t.tag.find("\"title\"") != std::string::npos ||
                      t.tag.find("\"note\"") != std::string::npos ||
                      t.tag.find("key\"") != std::string::npos;
    const double px = t.tag.find("\"title\"") != std::string::npos   ? 16
                      : t.tag.find("\"sub\"") != std::string::npos   ? 12
                      : t.tag.find("\"label\"") != std::string::npos ? 13
                                                                     : 11;
    const double w = static_cast<double>(t.content.size()) * px * (bold ? 0.68 : 0.62);
    const double x = Attr(t.tag, "x"), y = Attr(t.tag, "y");
    const double shift = t.tag.find("\"middle\"") != std::string::npos ? w / 2
                         : t.tag.find("\"end\"") != std::string::npos  ? w
                                                                       : 0;
    t.x0 = x - shift;
    t.x1 = x - shift + w;
    t.y0 = y - 0.8 * px;
    t.y1 = y + 0.25 * px;
    out.push_back(t);
  }
  return out;
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
    for (const std::string& w : r.warnings)
      warned = warned || w.find(":8: malformed row") != std::string::npos;
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

  TEST_CASE("the SVG stays readable with ~30 trials per ISA and several charts") {
    const std::string path = BusyHistory();
    const Report report = BuildReport({path}, "");
    REQUIRE(report.groups.size() == 2);
    const std::string svg = RenderReportSvg(report);
    const double width = Attr(svg.substr(0, svg.find('>')), "width");
    const double height = Attr(svg.substr(0, svg.find('>')), "height");
    const std::vector<SvgText> texts = Texts(svg);
    auto has_text = [&](const std::string& content) {
      for (const SvgText& t : texts) {
        if (t.content.find(content) != std::string::npos) return true;
      }
      return false;
    };

    // Counts in the text report's words: the baseline is not a keep.
    CHECK(FormatReportText(report, 5).find("6 keep") != std::string::npos);
    CHECK(
        has_text("30 trials: baseline + 6 keeps, 20 discards (1 failed correctness), "
                 "1 crash, 1 timeout, 1 invalid"));
    CHECK_FALSE(has_text("7 kept"));

    // Every marker drawn has its legend entry.
    for (const char* label : {"kept (#trial)", "discarded", "running best", "90% CI",
                              "correctness failure", "crash", "timeout", "invalid (edit scope)"}) {
      CHECK_MESSAGE(has_text(label), label);
    }
    auto count = [&](const std::string& what) {
      size_t n = 0;
      for (size_t p = svg.find(what); p != std::string::npos; p = svg.find(what, p + 1)) ++n;
      return n;
    };
    CHECK(count("<g class=\"wrong\"><path") == 4);  // a trial and the legend, per chart

    // All text inside the picture; only the y-axis titles are rotated.
    size_t rotated = 0;
    for (const SvgText& t : texts) {
      INFO(t.tag, " ", t.content);
      if (t.tag.find("transform=") != std::string::npos) {
        ++rotated;
        continue;
      }
      CHECK(t.x0 >= 0);
      CHECK(t.x1 <= width);
      CHECK(t.y0 >= 0);
      CHECK(t.y1 <= height);
    }
    CHECK(rotated == 2);

    // Kept points are tagged with their trial number, no two tags collide,
    // and the table under the plot names each one.
    std::vector<const SvgText*> notes;
    for (const SvgText& t : texts) {
      if (t.tag.find("class=\"note\"") != std::string::npos) notes.push_back(&t);
    }
    CHECK(notes.size() == 14);
    for (size_t i = 0; i < notes.size(); ++i) {
      for (size_t j = i + 1; j < notes.size(); ++j) {
        INFO(notes[i]->content, " and ", notes[j]->content);
        CHECK_FALSE((notes[i]->x0 < notes[j]->x1 && notes[j]->x0 < notes[i]->x1 &&
                     notes[i]->y0 < notes[j]->y1 && notes[j]->y0 < notes[i]->y1));
      }
    }
    for (const char* tag : {"#1", "#2", "#3", "#4", "#28", "#29", "#30"}) {
      size_t in_table = 0;
      for (const SvgText& t : texts) {
        in_table += t.tag.find("key\"") != std::string::npos && t.content == tag;
      }
      CHECK_MESSAGE(in_table == 2, tag);
    }
    CHECK(has_text("gather the centroid distances"));
    fs::remove_all(fs::path(path).parent_path());
  }

  TEST_CASE("the Markdown block has the PR sections") {
    const std::string path = History();
    const std::string md = FormatReportMarkdown(BuildReport({path}, ""));
    // Every kept step is listed with its own gain; without the trials'
    // records the gains are cross-run and say so; the commands name the ISA.
    for (const char* part :
         {"### pq-l2 [AVX2]: +21.0% in 2 steps", "**Technique**",
          "| 1 | `c440` | +10.0% (cross-run", "| 2 | `c484` | +10.0% (cross-run", "unroll x2",
          "prefetch", "**Speed-up**: +21.0%", "cross-run", "**Correctness**",
          "with `|got - ref| <= 1e-4 + 1e-5*|ref|`", "**Machine**", "**Reproduce**",
          "git checkout c484", "build/lar bench pq-l2 --isa AVX2"}) {
      CHECK_MESSAGE(md.find(part) != std::string::npos, part);
    }
    fs::remove_all(fs::path(path).parent_path());
  }

}  // TEST_SUITE

}  // namespace lar
