// Report model and its text, JSON and Markdown writers.
#include "harness/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "base/strings.h"
#include "harness/target.h"

namespace lar {
namespace {

constexpr double kZ90 = 1.6448536;

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

// The frontier of one group: baseline, keeps with their in-loop gains from
// their records, best vs baseline, per-combo deltas.
void Summarize(TargetReport* gp, std::vector<std::string>* warnings) {
  TargetReport& g = *gp;
  auto warn = [&](const ResultRow* row, const std::string& w) {
    warnings->push_back(row->file + ":" + std::to_string(row->line) + ": " + w);
  };
  for (const ResultRow* row : g.rows) {
    ++g.counts[row->keep];
    if (row->keep == "baseline") {
      g.baseline = row;
      g.frontier.assign(1, row);
      g.steps.clear();
    } else if (row->keep == "keep") {
      Step step;
      step.row = row;
      if (!g.frontier.empty()) step.cross_run = row->speedup / g.frontier.back()->speedup - 1.0;
      std::string warning;
      if (const auto rec = ReadRunRecord(row->file, row->run_id, &warning); rec && rec->trial) {
        step.gain = rec->trial->gate.gain;
        step.gain_lower = rec->trial->gate.gain_lower;
        step.comparison = rec->trial->gate.comparison;
      }
      g.frontier.push_back(row);
      g.steps.push_back(step);
    }
  }
  if (!g.frontier.empty()) g.best = g.frontier.back();
  if (g.baseline && g.best && g.best != g.baseline) {
    const double d = std::log(g.best->speedup / g.baseline->speedup);
    const double se = std::hypot(LogSe(*g.best), LogSe(*g.baseline));
    g.gain = std::exp(d) - 1.0;
    g.gain_lo = std::exp(d - kZ90 * se) - 1.0;
    g.gain_hi = std::exp(d + kZ90 * se) - 1.0;
    double product = 1.0;
    for (const Step& st : g.steps) product *= 1.0 + st.gain;
    g.compounded_gain = product - 1.0;  // NaN when a step lacks its record
  } else if (g.baseline) {
    g.gain = 0.0;
    g.compounded_gain = 0.0;
  }
  if (g.best) {
    std::string warning;
    g.best_record = ReadRunRecord(g.best->file, g.best->run_id, &warning, &g.context);
    if (!g.best_record) warn(g.best, warning);
  }
  if (g.best && g.baseline && g.best != g.baseline && g.best_record && g.best_record->measure) {
    std::string warning;
    const std::optional<RunRecord> base =
        ReadRunRecord(g.baseline->file, g.baseline->run_id, &warning);
    if (!base) {
      warn(g.baseline, warning);
    } else if (base->measure) {
      for (const ComboMeasurement& c : g.best_record->measure->combos) {
        for (const ComboMeasurement& b : base->measure->combos) {
          if (b.shape == c.shape && b.distribution == c.distribution) {
            g.combo_deltas.push_back(
                {ComboName(c), b.speedup, c.speedup, c.speedup / b.speedup - 1.0});
          }
        }
      }
    }
  }
}

// "+9.6% in-loop" (what the gate decided on), else "+10.0% cross-run".
std::string StepGain(const Step& st) {
  if (!std::isnan(st.gain)) {
    return Pct(st.gain) + (st.comparison == "records" ? " vs best's record" : " in-loop");
  }
  return Pct(st.cross_run) + " cross-run";
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
  std::stable_sort(
      r.groups.begin(), r.groups.end(),
      [](const TargetReport& a, const TargetReport& b) { return a.machine < b.machine; });
  for (TargetReport& g : r.groups) {
    Summarize(&g, &r.warnings);
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
    for (const auto& [k, n] : g.counts)
      counts += (counts.empty() ? "" : ", ") + std::to_string(n) + " " + k;
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
      if (!std::isnan(g.compounded_gain)) {
        out += "  gain:      " + Pct(g.compounded_gain) + " over the baseline, compounded from " +
               std::to_string(g.steps.size()) + " kept steps (each measured by the gate)\n";
      }
      if (!std::isnan(g.best->pct_of_memcpy)) {
        out += "  memory:    " + Fixed(g.best->pct_of_memcpy, 1) + "% of memcpy (best)" +
               (g.baseline && !std::isnan(g.baseline->pct_of_memcpy)
                    ? ", " + Fixed(g.baseline->pct_of_memcpy, 1) + "% (baseline)"
                    : std::string()) +
               ": the kernel's speed against memcpy of its output bytes, timed in the same "
               "rounds\n";
      }
      out += "  cross-run: " + Pct(g.gain) + " (90% CI " + Pct(g.gain_lo) + " .. " +
             Pct(g.gain_hi) +
             "): best's recorded speed-up over the baseline's, two runs apart, drift included\n";
    }
    if (!g.frontier.empty()) {
      out += "  frontier (kept trials in order; each step's gain as the gate measured it):\n";
      out += "    " + g.frontier.front()->commit + "  x" + Fixed(g.frontier.front()->speedup, 3) +
             "  " + g.frontier.front()->keep + "  " + Short(g.frontier.front()->description, 60) +
             "\n";
      for (const Step& st : g.steps) {
        out += "    " + st.row->commit + "  x" + Fixed(st.row->speedup, 3) + "  " + StepGain(st) +
               "  " + Short(st.row->description, 60) + "\n";
      }
    }
    if (!g.combo_deltas.empty()) {
      out += "  per combo, best vs baseline (speed-up vs reference):\n";
      for (const ComboDelta& d : g.combo_deltas) {
        out += StrFormat("    %-28s x%-7.3f -> x%-7.3f %s\n", d.combo.c_str(), d.baseline, d.best,
                         Pct(d.change).c_str());
      }
    }
    out += "  recent:\n";
    const size_t from = g.rows.size() > recent ? g.rows.size() - recent : 0;
    for (size_t i = from; i < g.rows.size(); ++i) {
      const ResultRow* row = g.rows[i];
      out += StrFormat("    #%-3zu %-8s %-8s x%-7s %s\n", i + 1, row->keep.c_str(),
                       row->commit.c_str(), Fixed(row->speedup, 3).c_str(),
                       Short(row->description, 60).c_str());
      if (!row->per_isa.empty() && row->per_isa != "-") {
        out += "          other ISAs: " + row->per_isa + "\n";
      }
    }
  }
  if (r.groups.empty()) out += "no trials\n";
  return out;
}

nlohmann::json ReportJson(const Report& r, size_t recent) {
  auto num = [](double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); };
  auto row_json = [&](const ResultRow* row, size_t index) {
    return nlohmann::json{{"trial", index},
                          {"commit", row->commit},
                          {"keep", row->keep},
                          {"speedup", num(row->speedup)},
                          {"speedup_ci", {num(row->speedup_ci_lo), num(row->speedup_ci_hi)}},
                          {"pct_of_memcpy", num(row->pct_of_memcpy)},
                          {"description", row->description},
                          {"run_id", row->run_id},
                          {"timestamp", row->timestamp},
                          {"per_isa", row->per_isa == "-" ? "" : row->per_isa}};
  };
  nlohmann::json groups = nlohmann::json::array();
  for (const TargetReport& g : r.groups) {
    auto index_of = [&](const ResultRow* row) {
      return static_cast<size_t>(std::find(g.rows.begin(), g.rows.end(), row) - g.rows.begin()) + 1;
    };
    nlohmann::json j = {{"machine", g.machine},
                        {"target", g.target},
                        {"isa", g.isa},
                        {"trials", g.rows.size()},
                        {"counts", g.counts},
                        {"gain", num(g.gain)},
                        {"gain_ci", {num(g.gain_lo), num(g.gain_hi)}}};
    j["baseline"] =
        g.baseline ? row_json(g.baseline, index_of(g.baseline)) : nlohmann::json(nullptr);
    j["best"] = g.best ? row_json(g.best, index_of(g.best)) : nlohmann::json(nullptr);
    j["frontier"] = nlohmann::json::array();
    for (const ResultRow* k : g.frontier) j["frontier"].push_back(row_json(k, index_of(k)));
    j["recent"] = nlohmann::json::array();
    const size_t from = g.rows.size() > recent ? g.rows.size() - recent : 0;
    for (size_t i = from; i < g.rows.size(); ++i) j["recent"].push_back(row_json(g.rows[i], i + 1));
    j["compounded_gain"] = num(g.compounded_gain);
    j["steps"] = nlohmann::json::array();
    for (const Step& st : g.steps) {
      nlohmann::json js = row_json(st.row, index_of(st.row));
      js["gain"] = num(st.gain);
      js["gain_lower"] = num(st.gain_lower);
      js["comparison"] = st.comparison;
      js["cross_run"] = num(st.cross_run);
      j["steps"].push_back(js);
    }
    j["combo_deltas"] = nlohmann::json::array();
    for (const ComboDelta& d : g.combo_deltas) {
      j["combo_deltas"].push_back(
          {{"combo", d.combo}, {"baseline", d.baseline}, {"best", d.best}, {"change", d.change}});
    }
    j["context"] = g.context;
    groups.push_back(j);
  }
  return {{"schema_version", 1}, {"groups", groups}, {"warnings", r.warnings}};
}

// The PR block's step table: every kept step with the gain the gate
// measured for it.
std::string StepsTable(const TargetReport& g) {
  std::string out;
  out += "**Technique**, step by step (lar commits; kernel file `targets/" + g.target +
         "/kernels.cc`). Each gain is the one lar's keep gate measured for that step: the "
         "kernel against the previous best, timed in the same loop.\n\n";
  out +=
      "| step | commit | gain | 95% lower bound | speed-up vs reference | what changed |\n"
      "|---|---|---|---|---|---|\n";
  for (size_t i = 0; i < g.steps.size(); ++i) {
    const Step& st = g.steps[i];
    const bool in_loop = !std::isnan(st.gain);
    out += "| " + std::to_string(i + 1) + " | `" + st.row->commit + "` | " +
           (in_loop ? Pct(st.gain) + (st.comparison == "records" ? " (vs the best's record)" : "")
                    : Pct(st.cross_run) + " (cross-run; record missing)") +
           " | " + (in_loop ? Pct(st.gain_lower) : "n/a") + " | " + Fixed(st.row->speedup, 3) +
           " | " + st.row->description + " |\n";
  }
  return out;
}

// The PR block's correctness (with the target's own tolerance) and machine.
std::string Provenance(const TargetReport& g) {
  std::string out;
  const nlohmann::json& c = g.context;
  std::string isas = g.isa;
  size_t cases = 0;
  std::string tolerance;
  if (g.best_record && g.best_record->verify) {
    isas.clear();
    for (const std::string& i : g.best_record->verify->isas) isas += (isas.empty() ? "" : ", ") + i;
    cases = g.best_record->verify->cases;
  }
  const Target* target = Registry::Find(g.target);
  if (target != nullptr && !target->tolerance.empty()) tolerance = target->tolerance;
  out +=
      "**Correctness**: outputs match lar's scalar reference (itself checked against "
      "Lance's own outputs on the golden fixtures where the target has them) " +
      (tolerance.empty() ? std::string("within the target's tolerance") : "with " + tolerance) +
      " on every ISA the machine runs (" + isas + ")";
  if (cases > 0) out += ", " + std::to_string(cases) + " battery cases (fixed and fresh seed)";
  out += ", and on every timed operation.\n\n";
  out += "**Machine**: " + c.value("cpu_model", std::string("?")) + ", " +
         std::to_string(c.value("cores", 0)) + " cores; " + c.value("compiler", std::string("?")) +
         " `" + c.value("build_flags", std::string("")) + "`; Highway " +
         c.value("highway_version", std::string("?")) + "; timed ISA " + g.isa + "; lar " +
         c.value("lar_version", std::string("?")) + " (harness v" +
         std::to_string(c.value("harness_version", 0)) + ").\n\n";
  return out;
}

std::string FormatReportMarkdown(const Report& r) {
  std::string out;
  for (const TargetReport& g : r.groups) {
    if (!g.best || !g.baseline) continue;
    if (g.best == g.baseline) {
      out += "### " + g.target + " [" + g.isa + "]: baseline\n\n";
      out += "No kept trial improves on the baseline yet.\n\n";
      continue;
    }
    const bool compounded = !std::isnan(g.compounded_gain);
    const double total = compounded ? g.compounded_gain : g.gain;
    out += "### " + g.target + " [" + g.isa + "]: " + Pct(total) + " in " +
           std::to_string(g.steps.size()) + (g.steps.size() == 1 ? " step" : " steps") + "\n\n";
    out += StepsTable(g);
    out +=
        "\n**Speed-up**: " + Pct(total) + " over the baseline kernel" +
        (compounded ? ", compounded from the in-loop gains above"
                    : " (cross-run: the ratio of two recorded runs, 90% CI " + Pct(g.gain_lo) +
                          " .. " + Pct(g.gain_hi) + ")") +
        ". Against lar's scalar port of Lance's code, timed interleaved in the same process:\n\n";
    out += "| kernel | commit | speed-up vs scalar reference | 90% CI |\n|---|---|---|---|\n";
    out += "| baseline | `" + g.baseline->commit + "` | " + Fixed(g.baseline->speedup, 3) + " | [" +
           Fixed(g.baseline->speedup_ci_lo, 3) + ", " + Fixed(g.baseline->speedup_ci_hi, 3) +
           "] |\n";
    out += "| this change | `" + g.best->commit + "` | " + Fixed(g.best->speedup, 3) + " | [" +
           Fixed(g.best->speedup_ci_lo, 3) + ", " + Fixed(g.best->speedup_ci_hi, 3) + "] |\n\n";
    if (!std::isnan(g.best->pct_of_memcpy)) {
      out += "**Memory speed**: the kernel runs at " + Fixed(g.best->pct_of_memcpy, 1) +
             "% of the speed of memcpy of its output bytes (geomean over combos; memcpy timed in "
             "the same rounds, between the same buffers).\n\n";
    }
    if (compounded) {
      out += "(The two rows come from separate runs; their ratio, " + Pct(g.gain) +
             ", includes the machine's drift between them.)\n\n";
    }
    if (!g.combo_deltas.empty()) {
      out +=
          "| combo (shape, data) | baseline | this change | change (cross-run) "
          "|\n|---|---|---|---|\n";
      for (const ComboDelta& d : g.combo_deltas) {
        out += "| " + d.combo + " | " + Fixed(d.baseline, 3) + " | " + Fixed(d.best, 3) + " | " +
               Pct(d.change) + " |\n";
      }
      out += "\n";
    }
    out += Provenance(g);
    const std::string bench = "build/lar bench " + g.target + " --isa " + g.isa;
    out += "**Reproduce** (on a CPU that runs " + g.isa + "):\n\n```sh\ngit checkout " +
           g.best->commit + "\nscripts/setup.sh && build/lar verify " + g.target + " && " + bench +
           "\ngit checkout " + g.baseline->commit + " && ninja -C build && " + bench + "\n```\n\n";
  }
  if (out.empty()) out = "No target has a baseline and a best trial yet.\n";
  return out;
}

}  // namespace lar
