// results.tsv: round trip, malformed rows, concurrent appends, no gluing.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/results.h"

namespace lar {
namespace {

namespace fs = std::filesystem;

std::string TempDir() {
  std::string t = (fs::temp_directory_path() / "lar-results-XXXXXX").string();
  REQUIRE(mkdtemp(t.data()) != nullptr);
  return t;
}

ResultRow Row(const std::string& keep, double speedup, const std::string& description) {
  ResultRow r;
  r.commit = "a1b2c3d";
  r.timestamp = "2026-11-24T10:00:00+0000";
  r.correctness = "pass";
  r.geomean_ns = 12345;
  r.keep = keep;
  r.description = description;
  r.target = "pq-l2";
  r.isa = "AVX2";
  r.speedup = speedup;
  r.speedup_ci_lo = speedup * 0.99;
  r.speedup_ci_hi = speedup * 1.01;
  r.machine = "e7d8dfa073e9";
  r.run_id = "run-" + std::to_string(static_cast<int>(speedup * 1000));
  return r;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("rows round-trip; the header is written once; text is sanitized") {
    const std::string dir = TempDir();
    const std::string path = dir + "/results.tsv";
    AppendRow(path, Row("baseline", 4.0, "first"));
    AppendRow(path, Row("discard", 4.1, "tab\there\nand newline"));
    const std::string text = Slurp(path);
    CHECK(text.rfind(ResultsHeader() + "\n", 0) == 0);
    CHECK(text.find("commit\t", 1) == std::string::npos);
    const ResultsFile f = ReadResults(path);
    CHECK(f.warnings.empty());
    REQUIRE(f.rows.size() == 2);
    CHECK(f.rows[0].keep == "baseline");
    CHECK(f.rows[0].speedup == doctest::Approx(4.0));
    CHECK(f.rows[0].line == 2);
    CHECK(f.rows[1].description == "tab here and newline");
    CHECK(std::isnan(f.rows[1].worst_ns));  // written as "-"
    // The Rust workspace's columns come first, in its order.
    CHECK(ResultsHeader().rfind("commit\ttimestamp\tcorrectness\tgeomean_ns\tci_lo\tci_hi\t"
                                "worst_ns\tworst_combo\tbest_ns\tbest_combo\tpeak_mem_mb\t"
                                "total_seconds\tkeep\tdescription\t",
                                0) == 0);
    fs::remove_all(dir);
  }

  TEST_CASE("malformed rows are reported with their line and skipped") {
    const std::string dir = TempDir();
    const std::string path = dir + "/results.tsv";
    AppendRow(path, Row("baseline", 4.0, "ok 1"));
    {
      std::ofstream out(path, std::ios::app);
      out << "garbage line without tabs\n";
      std::string bad = FormatRow(Row("keep", 4.2, "bad number"));
      bad.replace(bad.find("4.2000"), 6, "fast!!");
      out << bad << "\n";
      out << FormatRow(Row("maybe", 4.3, "bad keep")) << "\n";
    }
    AppendRow(path, Row("keep", 4.4, "ok 2"));
    const ResultsFile f = ReadResults(path);
    REQUIRE(f.rows.size() == 2);
    CHECK(f.rows[1].description == "ok 2");
    REQUIRE(f.warnings.size() == 3);
    CHECK(f.warnings[0].find("results.tsv:3: malformed row") != std::string::npos);
    CHECK(f.warnings[1].find(":4: ") != std::string::npos);
    CHECK(f.warnings[1].find("not a number") != std::string::npos);
    CHECK(f.warnings[2].find(":5: ") != std::string::npos);
    CHECK(f.warnings[2].find("keep='maybe'") != std::string::npos);
    fs::remove_all(dir);
  }

  TEST_CASE("a file edited without a final newline does not glue rows") {
    const std::string dir = TempDir();
    const std::string path = dir + "/results.tsv";
    AppendRow(path, Row("baseline", 4.0, "one"));
    {
      std::ofstream out(path, std::ios::app);
      out << FormatRow(Row("discard", 4.0, "hand-written"));  // no newline
    }
    AppendRow(path, Row("keep", 4.5, "after"));
    const ResultsFile f = ReadResults(path);
    CHECK(f.warnings.empty());
    REQUIRE(f.rows.size() == 3);
    CHECK(f.rows[2].description == "after");
    fs::remove_all(dir);
  }

  TEST_CASE("concurrent appends never interleave or lose a row") {
    const std::string dir = TempDir();
    const std::string path = dir + "/results.tsv";
    constexpr int kWriters = 4, kRows = 50;
    std::vector<pid_t> pids;
    for (int w = 0; w < kWriters; ++w) {
      const pid_t pid = fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {
        for (int i = 0; i < kRows; ++i) {
          AppendRow(path, Row("discard", 1.0 + w + i / 1000.0,
                              "writer " + std::to_string(w) + std::string(200, 'x')));
        }
        _exit(0);
      }
      pids.push_back(pid);
    }
    for (pid_t pid : pids) {
      int status = 0;
      waitpid(pid, &status, 0);
      CHECK(WIFEXITED(status));
    }
    const ResultsFile f = ReadResults(path);
    CHECK(f.warnings.empty());
    CHECK(f.rows.size() == kWriters * kRows);
    const std::string text = Slurp(path);
    CHECK(std::count(text.begin(), text.end(), '\n') == kWriters * kRows + 1);
    fs::remove_all(dir);
  }

  TEST_CASE("pct_of_memcpy round-trips and rows read in a file whose header predates it") {
    const std::string dir = TempDir();
    const std::string path = dir + "/results.tsv";
    ResultRow anchored = Row("keep", 3.0, "decode");
    anchored.pct_of_memcpy = 61.2;
    {
      // A file written before the column existed: its header and one row
      // end at `dirty` (pct_of_memcpy and per_isa came after it).
      std::string header = ResultsHeader(), row = FormatRow(Row("baseline", 2.0, "old"));
      for (int drop = 0; drop < 2; ++drop) {
        header.resize(header.rfind('\t'));
        row.resize(row.rfind('\t'));
      }
      std::ofstream out(path);
      out << header << "\n" << row << "\n";
    }
    AppendRow(path, anchored);
    const ResultsFile f = ReadResults(path);
    CHECK(f.warnings.empty());
    REQUIRE(f.rows.size() == 2);
    CHECK(std::isnan(f.rows[0].pct_of_memcpy));
    CHECK(f.rows[1].pct_of_memcpy == doctest::Approx(61.2));
    const std::string tail = "\tdirty\tpct_of_memcpy\tper_isa";
    CHECK(ResultsHeader().rfind(tail) == ResultsHeader().size() - tail.size());
    fs::remove_all(dir);
  }

  TEST_CASE("a missing file reads as empty") {
    const ResultsFile f = ReadResults("/nonexistent/lar/results.tsv");
    CHECK(f.rows.empty());
    CHECK(f.warnings.empty());
  }

  TEST_CASE("a file started by an older lar keeps reading after lar added a column") {
    const std::string dir = TempDir();
    const std::string path = dir + "/results.tsv";
    // The header as lar wrote it before the per_isa column, one old row.
    std::string header = ResultsHeader();
    header = header.substr(0, header.rfind('\t'));
    std::string old_row = FormatRow(Row("baseline", 4.0, "old"));
    old_row = old_row.substr(0, old_row.rfind('\t'));
    {
      std::ofstream out(path);
      out << header << "\n" << old_row << "\n";
    }
    ResultRow now = Row("keep", 4.4, "new");
    now.per_isa = "AVX2 x1.500 best x1.0100";
    AppendRow(path, now);
    const ResultsFile f = ReadResults(path);
    CHECK(f.warnings.empty());
    REQUIRE(f.rows.size() == 2);
    CHECK(f.rows[1].per_isa == now.per_isa);
    // A row longer than any lar wrote is still malformed.
    {
      std::ofstream out(path, std::ios::app);
      out << FormatRow(now) << "\textra\textra\n";
    }
    CHECK(ReadResults(path).warnings.size() == 1);
    fs::remove_all(dir);
  }

}  // TEST_SUITE

}  // namespace lar
