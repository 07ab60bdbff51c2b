// Report model and its text, JSON and Markdown writers.
#include "harness/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace lar {
namespace {

constexpr double kZ90 = 1.6448536;

std::string Fixed(double v, int decimals) {
  if (std::isnan(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
  return buf;
}

std::string Pct(double v) {
  if (std::isnan(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%+.1f%%", 100.0 * v);
  return buf;
}

// Standard error of log(speed-up) from a row's 90% CI.
double LogSe(const ResultRow& r) {
  if (std::isnan(r.speedup_ci_lo) || std::isnan(r.speedup_ci_hi) || r.speedup_ci_lo <= 0) {
    return NAN;
  }
  return std::log(r.speedup_ci_hi / r.speedup_ci_lo) / (2.0 * kZ90);
}

std::string Short(const std::string& s, size_t n) {
  return s.size() <= n ? s : s.substr(0, n - 3) + "...";
}

}  // namespace

Report BuildReport(const std::vector<std::string>& paths, const std::string& target) {
  Report r;
  for (const std::string& p : paths) {
    if (!std::filesystem::exists(p)) {
      throw std::runtime_error("no results file " + p +
                               " (run lar trial first, or pass the path of a results.tsv)");
    }
    r.files.push_back(ReadResults(p));
    for (const std::string& w : r.files.back().warnings) r.warnings.push_back(w);
  }
  // Group by (machine, target, isa), in order of first appearance.
  for (const ResultsFile& f : r.files) {
    for (const ResultRow& row : f.rows) {
      if (!target.empty() && row.target != target) continue;
      TargetReport* g = nullptr;
      for (TargetReport& x : r.groups) {
        if (x.machine == row.machine && x.target == row.target && x.isa == row.isa) g = &x;
      }
      if (g == nullptr) {
        r.groups.push_back({});
        g = &r.groups.back();
        g->machine = row.machine;
        g->target = row.target;
        g->isa = row.isa;
      }
      g->rows.push_back(&row);
    }
  }
  std::stable_sort(r.groups.begin(), r.groups.end(),
                   [](const TargetReport& a, const TargetReport& b) { return a.machine < b.machine; });
  for (TargetReport& g : r.groups) {
    for (const ResultRow* row : g.rows) {
      ++g.counts[row->keep];
      if (row->keep == "baseline") {
        g.baseline = row;
        g.best = row;
        g.frontier.push_back(row);
      } else if (row->keep == "keep") {
        g.frontier.push_back(row);
        if (g.best == nullptr || row->speedup > g.best->speedup) g.best = row;
      }
    }
    if (g.baseline && g.best && g.best != g.baseline) {
      const double d = std::log(g.best->speedup / g.baseline->speedup);
      const double se = std::hypot(LogSe(*g.best), LogSe(*g.baseline));
      g.gain = std::exp(d) - 1.0;
      g.gain_lo = std::exp(d - kZ90 * se) - 1.0;
      g.gain_hi = std::exp(d + kZ90 * se) - 1.0;
    } else if (g.baseline) {
      g.gain = 0.0;
    }
    if (g.best) {
      std::string warning;
      g.best_record = ReadRunRecord(g.best->file, g.best->run_id, &warning, &g.context);
      if (!g.best_record) r.warnings.push_back(g.best->file + ":" + std::to_string(g.best->line) + ": " + warning);
    }
    if (g.best && g.baseline && g.best != g.baseline && g.best_record && g.best_record->measure) {
      std::string warning;
      const std::optional<RunRecord> base = ReadRunRecord(g.baseline->file, g.baseline->run_id, &warning);
      if (!base) {
        r.warnings.push_back(g.baseline->file + ":" + std::to_string(g.baseline->line) + ": " + warning);
      } else if (base->measure) {
        for (const ComboMeasurement& c : g.best_record->measure->combos) {
          for (const ComboMeasurement& b : base->measure->combos) {
            if (b.shape == c.shape && b.distribution == c.distribution) {
              g.combo_deltas.push_back({ComboName(c), b.speedup, c.speedup,
                                        c.speedup / b.speedup - 1.0});
            }
          }
        }
      }
    }
  }
  return r;
}

std::string FormatReportText(const Report& r, size_t recent) {
  std::string out;
  std::string machine;
  for (const TargetReport& g : r.groups) {
    if (g.machine != machine) {
      machine = g.machine;
      const std::string cpu = g.context.value("cpu_model", "");
      out += "== machine " + machine + (cpu.empty() ? "" : " (" + cpu + ")") + " ==\n";
    }
    out += "\n" + g.target + " [" + g.isa + "]: " + std::to_string(g.rows.size()) + " trials";
    std::string counts;
    for (const auto& [k, n] : g.counts) counts += (counts.empty() ? "" : ", ") + std::to_string(n) + " " + k;
    out += " (" + counts + ")\n";
    if (g.baseline) {
      out += "  baseline:  x" + Fixed(g.baseline->speedup, 3) + " vs reference  [" +
             Fixed(g.baseline->speedup_ci_lo, 3) + ", " + Fixed(g.baseline->speedup_ci_hi, 3) +
             "]  commit " + g.baseline->commit + "  " + g.baseline->timestamp + "\n";
    } else {
      out += "  baseline:  none yet\n";
    }
    if (g.best) {
      out += "  best:      x" + Fixed(g.best->speedup, 3) + " vs reference  [" +
             Fixed(g.best->speedup_ci_lo, 3) + ", " + Fixed(g.best->speedup_ci_hi, 3) +
             "]  commit " + g.best->commit + "  \"" + g.best->description + "\"\n";
      out += "  gain:      " + Pct(g.gain) + " over the baseline  (90% CI " + Pct(g.gain_lo) +
             " .. " + Pct(g.gain_hi) + ")\n";
    }
    if (!g.frontier.empty()) {
      out += "  frontier (kept trials in order):\n";
      const ResultRow* prev = nullptr;
      for (const ResultRow* k : g.frontier) {
        const std::string step =
            prev && k->keep != "baseline" ? Pct(k->speedup / prev->speedup - 1.0) : k->keep;
        out += "    " + k->commit + "  x" + Fixed(k->speedup, 3) + "  " + step + "  " +
               Short(k->description, 60) + "\n";
        prev = k;
      }
    }
    if (!g.combo_deltas.empty()) {
      out += "  per combo, best vs baseline (speed-up vs reference):\n";
      for (const ComboDelta& d : g.combo_deltas) {
        char line[160];
        std::snprintf(line, sizeof(line), "    %-28s x%-7.3f -> x%-7.3f %s\n", d.combo.c_str(),
                      d.baseline, d.best, Pct(d.change).c_str());
        out += line;
      }
    }
    out += "  recent:\n";
    const size_t from = g.rows.size() > recent ? g.rows.size() - recent : 0;
    for (size_t i = from; i < g.rows.size(); ++i) {
      const ResultRow* row = g.rows[i];
      char line[256];
      std::snprintf(line, sizeof(line), "    #%-3zu %-8s %-8s x%-7s %s\n", i + 1,
                    row->keep.c_str(), row->commit.c_str(), Fixed(row->speedup, 3).c_str(),
                    Short(row->description, 60).c_str());
      out += line;
    }
  }
  if (r.groups.empty()) out += "no trials\n";
  return out;
}

nlohmann::json ReportJson(const Report& r, size_t recent) {
  auto num = [](double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); };
  auto row_json = [&](const ResultRow* row, size_t index) {
    return nlohmann::json{{"trial", index},        {"commit", row->commit},
                          {"keep", row->keep},     {"speedup", num(row->speedup)},
                          {"speedup_ci", {num(row->speedup_ci_lo), num(row->speedup_ci_hi)}},
                          {"description", row->description}, {"run_id", row->run_id},
                          {"timestamp", row->timestamp}};
  };
  nlohmann::json groups = nlohmann::json::array();
  for (const TargetReport& g : r.groups) {
    auto index_of = [&](const ResultRow* row) {
      return static_cast<size_t>(std::find(g.rows.begin(), g.rows.end(), row) - g.rows.begin()) + 1;
    };
    nlohmann::json j = {{"machine", g.machine}, {"target", g.target}, {"isa", g.isa},
                        {"trials", g.rows.size()}, {"counts", g.counts},
                        {"gain", num(g.gain)}, {"gain_ci", {num(g.gain_lo), num(g.gain_hi)}}};
    j["baseline"] = g.baseline ? row_json(g.baseline, index_of(g.baseline)) : nlohmann::json(nullptr);
    j["best"] = g.best ? row_json(g.best, index_of(g.best)) : nlohmann::json(nullptr);
    j["frontier"] = nlohmann::json::array();
    for (const ResultRow* k : g.frontier) j["frontier"].push_back(row_json(k, index_of(k)));
    j["recent"] = nlohmann::json::array();
    const size_t from = g.rows.size() > recent ? g.rows.size() - recent : 0;
    for (size_t i = from; i < g.rows.size(); ++i) j["recent"].push_back(row_json(g.rows[i], i + 1));
    j["combo_deltas"] = nlohmann::json::array();
    for (const ComboDelta& d : g.combo_deltas) {
      j["combo_deltas"].push_back({{"combo", d.combo}, {"baseline", d.baseline},
                                   {"best", d.best}, {"change", d.change}});
    }
    j["context"] = g.context;
    groups.push_back(j);
  }
  return {{"schema_version", 1}, {"groups", groups}, {"warnings", r.warnings}};
}

std::string FormatReportMarkdown(const Report& r) {
  std::string out;
  for (const TargetReport& g : r.groups) {
    if (!g.best || !g.baseline) continue;
    const nlohmann::json& c = g.context;
    out += "### " + g.target + ": " + (g.best == g.baseline ? "baseline" : g.best->description) +
           "\n\n";
    if (g.best == g.baseline) {
      out += "No kept trial improves on the baseline yet.\n\n";
      continue;
    }
    out += "**Technique** (lar commit `" + g.best->commit + "`, kernel file `targets/" +
           g.target + "/kernels.cc`): " + g.best->description + "\n\n";
    out += "**Speed-up**: " + Pct(g.gain) + " over the baseline kernel (90% CI " + Pct(g.gain_lo) +
           " .. " + Pct(g.gain_hi) + "), measured as speed-up against lar's scalar port of "
           "Lance's code, timed interleaved in the same process:\n\n";
    out += "| kernel | commit | speed-up vs scalar reference | 90% CI |\n|---|---|---|---|\n";
    out += "| baseline | `" + g.baseline->commit + "` | " + Fixed(g.baseline->speedup, 3) + " | [" +
           Fixed(g.baseline->speedup_ci_lo, 3) + ", " + Fixed(g.baseline->speedup_ci_hi, 3) + "] |\n";
    out += "| this change | `" + g.best->commit + "` | " + Fixed(g.best->speedup, 3) + " | [" +
           Fixed(g.best->speedup_ci_lo, 3) + ", " + Fixed(g.best->speedup_ci_hi, 3) + "] |\n\n";
    if (!g.combo_deltas.empty()) {
      out += "| combo (shape, data) | baseline | this change | change |\n|---|---|---|---|\n";
      for (const ComboDelta& d : g.combo_deltas) {
        out += "| " + d.combo + " | " + Fixed(d.baseline, 3) + " | " + Fixed(d.best, 3) + " | " +
               Pct(d.change) + " |\n";
      }
      out += "\n";
    }
    std::string isas = g.isa;
    size_t cases = 0;
    if (g.best_record && g.best_record->verify) {
      isas.clear();
      for (const std::string& i : g.best_record->verify->isas) isas += (isas.empty() ? "" : ", ") + i;
      cases = g.best_record->verify->cases;
    }
    out += "**Correctness**: outputs match lar's scalar reference (itself bit-exact with Lance's "
           "own outputs on the golden fixtures where the target has them) within "
           "`|got - ref| <= 1e-4 + 1e-5*|ref|` on every ISA the machine runs (" + isas + ")";
    if (cases > 0) out += ", " + std::to_string(cases) + " battery cases (fixed and fresh seed)";
    out += ", and on every timed operation.\n\n";
    out += "**Machine**: " + c.value("cpu_model", std::string("?")) + ", " +
           std::to_string(c.value("cores", 0)) + " cores; " + c.value("compiler", std::string("?")) +
           " `" + c.value("build_flags", std::string("")) + "`; Highway " +
           c.value("highway_version", std::string("?")) + "; timed ISA " + g.isa + "; lar " +
           c.value("lar_version", std::string("?")) + " (harness v" +
           std::to_string(c.value("harness_version", 0)) + ").\n\n";
    out += "**Reproduce**:\n\n```sh\ngit checkout " + g.best->commit +
           "\nscripts/setup.sh && build/lar verify " + g.target + " && build/lar bench " + g.target +
           "\ngit checkout " + g.baseline->commit + " && ninja -C build && build/lar bench " +
           g.target + "\n```\n\n";
  }
  if (out.empty()) out = "No target has a baseline and a best trial yet.\n";
  return out;
}

}  // namespace lar
