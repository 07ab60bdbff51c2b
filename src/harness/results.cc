// TSV rows and run records on disk.
#include "harness/results.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace lar {
namespace {

namespace fs = std::filesystem;

constexpr size_t kColumns = std::size(kResultColumns);

std::string Clean(std::string s) {
  for (char& c : s) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return s.empty() ? "-" : s;
}

std::string Num(double v, int decimals) {
  if (std::isnan(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
  return buf;
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

void WriteAll(int fd, const std::string& data, const std::string& path) {
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t w = write(fd, data.data() + off, data.size() - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("cannot append to " + path + ": " + strerror(errno));
    }
    off += static_cast<size_t>(w);
  }
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
      Clean(r.run_id),   r.dirty ? "1" : "0",     Num(r.pct_of_memcpy, 1)};
  std::string line;
  for (const std::string& s : f) line += (line.empty() ? "" : "\t") + s;
  return line;
}

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
      if (f.empty() || f[0] != "commit") {
        out.warnings.push_back(where +
                               "no header row (expected columns starting "
                               "with 'commit'); reading columns in lar's order");
        header.assign(std::begin(kResultColumns), std::end(kResultColumns));
      } else {
        header = f;
        continue;
      }
    }
    // A row appended after lar added columns to a file whose header
    // predates them: the columns past the header are lar's, in order.
    const bool newer = f.size() > header.size() && f.size() <= kColumns &&
                       std::equal(header.begin(), header.end(), std::begin(kResultColumns));
    const std::vector<std::string> columns =
        newer ? std::vector<std::string>(std::begin(kResultColumns),
                                         std::begin(kResultColumns) + f.size())
              : header;
    if (f.size() != columns.size()) {
      out.warnings.push_back(where + "malformed row (" + std::to_string(f.size()) +
                             " fields, header has " + std::to_string(header.size()) + "); skipped");
      continue;
    }
    ResultRow r;
    r.file = path;
    r.line = number;
    bool ok = true;
    std::string bad;
    for (size_t i = 0; i < columns.size() && ok; ++i) {
      const std::string& k = columns[i];
      const std::string& v = f[i];
      auto num = [&](double* d) {
        if (!ParseNum(v, d)) {
          ok = false;
          bad = k + "='" + v + "' is not a number";
        }
      };
      if (k == "commit")
        r.commit = v;
      else if (k == "timestamp")
        r.timestamp = v;
      else if (k == "correctness")
        r.correctness = v;
      else if (k == "geomean_ns")
        num(&r.geomean_ns);
      else if (k == "ci_lo")
        num(&r.ci_lo);
      else if (k == "ci_hi")
        num(&r.ci_hi);
      else if (k == "worst_ns")
        num(&r.worst_ns);
      else if (k == "worst_combo")
        r.worst_combo = v;
      else if (k == "best_ns")
        num(&r.best_ns);
      else if (k == "best_combo")
        r.best_combo = v;
      else if (k == "peak_mem_mb")
        num(&r.peak_mem_mb);
      else if (k == "total_seconds")
        num(&r.total_seconds);
      else if (k == "keep")
        r.keep = v;
      else if (k == "description")
        r.description = v;
      else if (k == "target")
        r.target = v;
      else if (k == "isa")
        r.isa = v;
      else if (k == "speedup")
        num(&r.speedup);
      else if (k == "speedup_ci_lo")
        num(&r.speedup_ci_lo);
      else if (k == "speedup_ci_hi")
        num(&r.speedup_ci_hi);
      else if (k == "machine")
        r.machine = v;
      else if (k == "run_id")
        r.run_id = v;
      else if (k == "dirty")
        r.dirty = v == "1";
      else if (k == "pct_of_memcpy")
        num(&r.pct_of_memcpy);
    }
    if (ok && std::find(std::begin(kKeepValues), std::end(kKeepValues), r.keep) ==
                  std::end(kKeepValues)) {
      ok = false;
      bad = "keep='" + r.keep + "' is not one of baseline, keep, discard, crash, timeout, invalid";
    }
    if (ok && r.target.empty()) {
      ok = false;
      bad = "no target";
    }
    if (!ok) {
      out.warnings.push_back(where + "malformed row (" + bad + "); skipped");
      continue;
    }
    out.rows.push_back(std::move(r));
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
    WriteAll(fd, data, path);
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
  const std::string tmp = path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << MakeDocument(machine, {record}).dump() << "\n";
    if (!out) throw std::runtime_error("cannot write " + tmp);
  }
  fs::rename(tmp, path);
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
