// TSV rows and run records on disk.
#include "harness/results.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "base/strings.h"
#include "base/files.h"

namespace lar {
namespace {

namespace fs = std::filesystem;

std::string Clean(std::string s) {
  for (char& c : s) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return s.empty() ? "-" : s;
}

std::string Num(double v, int decimals) {
  if (std::isnan(v)) return "-";
  return StrFormat("%.*f", decimals, v);
}

std::vector<std::string> Split(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, '\t')) out.push_back(field);
  if (!line.empty() && line.back() == '\t') out.push_back("");
  return out;
}

bool ParseNum(const std::string& s, double* out) {
  if (s == "-") {
    *out = NAN;
    return true;
  }
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || errno != 0) return false;
  *out = v;
  return true;
}

}  // namespace

std::string ResultsHeader() {
  std::string h;
  for (const char* c : kResultColumns) h += (h.empty() ? "" : "\t") + std::string(c);
  return h;
}

std::string FormatRow(const ResultRow& r) {
  const std::vector<std::string> f = {
      Clean(r.commit),   Clean(r.timestamp),      Clean(r.correctness),    Num(r.geomean_ns, 0),
      Num(r.ci_lo, 0),   Num(r.ci_hi, 0),         Num(r.worst_ns, 0),      Clean(r.worst_combo),
      Num(r.best_ns, 0), Clean(r.best_combo),     Num(r.peak_mem_mb, 1),   Num(r.total_seconds, 1),
      Clean(r.keep),     Clean(r.description),    Clean(r.target),         Clean(r.isa),
      Num(r.speedup, 4), Num(r.speedup_ci_lo, 4), Num(r.speedup_ci_hi, 4), Clean(r.machine),
      Clean(r.run_id),   r.dirty ? "1" : "0",     Num(r.pct_of_memcpy, 1), Clean(r.per_isa)};
  std::string line;
  for (const std::string& s : f) line += (line.empty() ? "" : "\t") + s;
  return line;
}

namespace {

// How each column is read into a row. A number that does not parse makes
// the row malformed.
using ColumnReader = void (*)(ResultRow&, const std::string&, bool*);

template <std::string ResultRow::*field>
void Text(ResultRow& r, const std::string& v, bool*) {
  r.*field = v;
}

template <double ResultRow::*field>
void Number(ResultRow& r, const std::string& v, bool* ok) {
  *ok = ParseNum(v, &(r.*field));
}

const std::map<std::string, ColumnReader>& ColumnReaders() {
  static const std::map<std::string, ColumnReader> readers = {
      {"commit", &Text<&ResultRow::commit>},
      {"timestamp", &Text<&ResultRow::timestamp>},
      {"correctness", &Text<&ResultRow::correctness>},
      {"geomean_ns", &Number<&ResultRow::geomean_ns>},
      {"ci_lo", &Number<&ResultRow::ci_lo>},
      {"ci_hi", &Number<&ResultRow::ci_hi>},
      {"worst_ns", &Number<&ResultRow::worst_ns>},
      {"worst_combo", &Text<&ResultRow::worst_combo>},
      {"best_ns", &Number<&ResultRow::best_ns>},
      {"best_combo", &Text<&ResultRow::best_combo>},
      {"peak_mem_mb", &Number<&ResultRow::peak_mem_mb>},
      {"total_seconds", &Number<&ResultRow::total_seconds>},
      {"keep", &Text<&ResultRow::keep>},
      {"description", &Text<&ResultRow::description>},
      {"target", &Text<&ResultRow::target>},
      {"isa", &Text<&ResultRow::isa>},
      {"speedup", &Number<&ResultRow::speedup>},
      {"speedup_ci_lo", &Number<&ResultRow::speedup_ci_lo>},
      {"speedup_ci_hi", &Number<&ResultRow::speedup_ci_hi>},
      {"machine", &Text<&ResultRow::machine>},
      {"run_id", &Text<&ResultRow::run_id>},
      {"dirty", [](ResultRow& r, const std::string& v, bool*) { r.dirty = v == "1"; }},
      {"pct_of_memcpy", &Number<&ResultRow::pct_of_memcpy>},
      {"per_isa", &Text<&ResultRow::per_isa>},
  };
  return readers;
}

// The columns of a row of `n` fields under `header`. A file started by an
// older lar has a shorter header; the columns lar added since come after
// it, so a longer row of it reads in lar's order. nullopt: malformed.
std::optional<std::vector<std::string>> ColumnsOf(const std::vector<std::string>& header,
                                                  size_t n) {
  if (n == header.size()) return header;
  const std::vector<std::string> all(std::begin(kResultColumns), std::end(kResultColumns));
  const bool prefix =
      header.size() <= all.size() && std::equal(header.begin(), header.end(), all.begin());
  if (prefix && n > header.size() && n <= all.size()) {
    return std::vector<std::string>(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n));
  }
  return std::nullopt;
}

// One row from its fields; `*bad` says why when it is malformed.
std::optional<ResultRow> ParseRow(const std::vector<std::string>& columns,
                                  const std::vector<std::string>& f, std::string* bad) {
  ResultRow r;
  for (size_t i = 0; i < columns.size(); ++i) {
    const auto reader = ColumnReaders().find(columns[i]);
    if (reader == ColumnReaders().end()) continue;  // a column of a newer lar
    bool ok = true;
    reader->second(r, f[i], &ok);
    if (!ok) {
      *bad = columns[i] + "='" + f[i] + "' is not a number";
      return std::nullopt;
    }
  }
  if (std::find(std::begin(kKeepValues), std::end(kKeepValues), r.keep) == std::end(kKeepValues)) {
    *bad = "keep='" + r.keep + "' is not one of baseline, keep, discard, crash, timeout, invalid";
    return std::nullopt;
  }
  if (r.target.empty()) {
    *bad = "no target";
    return std::nullopt;
  }
  return r;
}

}  // namespace

ResultsFile ReadResults(const std::string& path) {
  ResultsFile out;
  std::ifstream in(path);
  if (!in) return out;
  std::string line;
  size_t number = 0;
  std::vector<std::string> header;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    const std::string where = path + ":" + std::to_string(number) + ": ";
    std::vector<std::string> f = Split(line);
    if (header.empty()) {
      if (!f.empty() && f[0] == "commit") {
        header = f;
        continue;
      }
      out.warnings.push_back(where +
                             "no header row (expected columns starting "
                             "with 'commit'); reading columns in lar's order");
      header.assign(std::begin(kResultColumns), std::end(kResultColumns));
    }
    const std::optional<std::vector<std::string>> columns = ColumnsOf(header, f.size());
    if (!columns) {
      out.warnings.push_back(where + "malformed row (" + std::to_string(f.size()) +
                             " fields, header has " + std::to_string(header.size()) + "); skipped");
      continue;
    }
    std::string bad;
    std::optional<ResultRow> r = ParseRow(*columns, f, &bad);
    if (!r) {
      out.warnings.push_back(where + "malformed row (" + bad + "); skipped");
      continue;
    }
    r->file = path;
    r->line = number;
    out.rows.push_back(std::move(*r));
  }
  return out;
}

void AppendRow(const std::string& path, const ResultRow& row) {
  const int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + strerror(errno));
  while (flock(fd, LOCK_EX) != 0 && errno == EINTR) {
  }
  struct stat st;
  std::string data;
  if (fstat(fd, &st) == 0 && st.st_size == 0) {
    data = ResultsHeader() + "\n";
  } else {
    // A file that does not end in a newline (edited by hand) must not glue
    // its last line to ours.
    char last = '\n';
    const int rfd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (rfd >= 0) {
      if (pread(rfd, &last, 1, st.st_size - 1) != 1) last = '\n';
      close(rfd);
    }
    if (last != '\n') data = "\n";
  }
  data += FormatRow(row) + "\n";
  try {
    if (const int error = WriteAll(fd, data); error != 0) {
      throw std::runtime_error("cannot append to " + path + ": " + strerror(error));
    }
  } catch (...) {
    close(fd);
    throw;
  }
  fsync(fd);
  close(fd);  // releases the lock
}

std::string StateDir(const std::string& results_path) {
  const fs::path p(results_path);
  return ((p.has_parent_path() ? p.parent_path() : fs::path(".")) / ".lar").string();
}

std::string RunRecordPath(const std::string& results_path, const std::string& run_id) {
  return (fs::path(StateDir(results_path)) / "runs" / (run_id + ".json")).string();
}

void WriteRunRecord(const std::string& results_path, const RunRecord& record,
                    const MachineInfo& machine) {
  const std::string path = RunRecordPath(results_path, record.run_id);
  fs::create_directories(fs::path(path).parent_path());
  WriteFileAtomically(path, MakeDocument(machine, {record}).dump() + "\n");
}

std::optional<RunRecord> ReadRunRecord(const std::string& results_path, const std::string& run_id,
                                       std::string* warning, nlohmann::json* context) {
  const std::string path = RunRecordPath(results_path, run_id);
  std::ifstream in(path);
  if (!in) {
    *warning = "run record " + path + " is missing";
    return std::nullopt;
  }
  try {
    const nlohmann::json doc = nlohmann::json::parse(in);
    if (context != nullptr) *context = doc.value("context", nlohmann::json::object());
    return RunRecordFromJson(doc.at("runs").at(0));
  } catch (const std::exception& e) {
    *warning = "run record " + path + " is unreadable (" + e.what() + ")";
    return std::nullopt;
  }
}

ResultRow RowFromRecord(const RunRecord& r, const std::string& keep, const std::string& commit,
                        bool dirty, const std::string& description) {
  ResultRow row;
  row.commit = commit.empty() ? "-" : commit;
  row.timestamp = r.timestamp;
  row.correctness = ToString(r.correctness);
  row.peak_mem_mb = r.peak_mem_mb;
  row.total_seconds = r.total_seconds;
  row.keep = keep;
  row.description = description;
  row.target = r.target;
  row.isa = r.isa;
  row.machine = r.fingerprint;
  row.run_id = r.run_id;
  row.dirty = dirty;
  row.per_isa = PerIsaSummary(r);
  if (r.measure && !r.measure->combos.empty() && !r.measure->mismatch) {
    const MeasureResult& m = *r.measure;
    row.geomean_ns = m.geomean_ns;
    row.ci_lo = m.geomean_ns_ci.lo;
    row.ci_hi = m.geomean_ns_ci.hi;
    const auto slower = [](const ComboMeasurement& a, const ComboMeasurement& b) {
      return a.cand_median_ns < b.cand_median_ns;
    };
    const auto worst = std::max_element(m.combos.begin(), m.combos.end(), slower);
    const auto best = std::min_element(m.combos.begin(), m.combos.end(), slower);
    row.worst_ns = worst->cand_median_ns;
    row.worst_combo = ComboName(*worst);
    row.best_ns = best->cand_median_ns;
    row.best_combo = ComboName(*best);
    row.speedup = m.speedup;
    row.speedup_ci_lo = m.speedup_ci.lo;
    row.speedup_ci_hi = m.speedup_ci.hi;
    if (m.memory_speed) row.pct_of_memcpy = m.memory_speed->pct_of_memcpy;
  }
  return row;
}

}  // namespace lar
