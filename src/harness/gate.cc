// The keep gate's rules, in the order SPEC s6 gives them.
#include "harness/gate.h"

#include <cmath>
#include <cstdio>

#include "harness/exit_codes.h"
#include "harness/stats.h"

namespace lar {
namespace {

std::string Pct(double v, int decimals = 1) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%+.*f%%", decimals, 100.0 * v);
  return buf;
}

std::string Plain(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
  return buf;
}

const ComboMeasurement* FindCombo(const MeasureResult& m, const ComboMeasurement& c) {
  for (const ComboMeasurement& x : m.combos) {
    if (x.shape == c.shape && x.distribution == c.distribution) return &x;
  }
  return nullptr;
}

}  // namespace

GateResult ApplyGate(const GateInput& in) {
  GateResult g;
  const RunRecord& t = *in.trial;
  const std::string vs = in.best_commit.empty() ? "the best" : "best " + in.best_commit;

  if (t.status == "crash") {
    g.keep = "crash";
    g.rule = "crash";
    g.exit_code = kExitCrash;
    g.verdict = "crash: " + t.failure;
    return g;
  }
  if (t.status == "timeout") {
    g.keep = "timeout";
    g.rule = "timeout";
    g.exit_code = kExitBudget;
    g.verdict = "timeout: " + t.failure;
    return g;
  }
  if (in.outside_files && !in.outside_files->empty() && !in.force_baseline) {
    std::string files;
    for (const std::string& f : *in.outside_files) files += (files.empty() ? "" : ", ") + f;
    g.keep = "invalid";
    g.rule = "edit-scope";
    g.exit_code = kExitInvalid;
    g.verdict = "invalid: files other than targets/" + t.target +
                "/kernels.cc changed since " + vs + ": " + files +
                " (revert them, or start a new baseline with --baseline)";
    return g;
  }
  if (t.correctness != "pass") {
    g.keep = "discard";
    g.rule = "correctness";
    g.exit_code = kExitCorrectness;
    g.verdict = "discard: correctness " + t.correctness + ": " + t.failure;
    return g;
  }
  const MeasureResult& m = *t.measure;
  if (in.best == nullptr || in.force_baseline) {
    g.keep = "baseline";
    g.rule = "baseline";
    g.exit_code = kExitOk;
    g.verdict = "baseline (speed-up " + Plain(m.speedup, 3) + " [" +
                Plain(m.speedup_ci.lo, 3) + ", " + Plain(m.speedup_ci.hi, 3) +
                "] vs the reference; later trials of " + t.target +
                " on this machine are gated against it)";
    return g;
  }

  g.threshold = std::max(kMinGain, in.noise_floor_pct > 0 ? in.noise_floor_pct / 100.0 : 0.0);
  const std::string floor_note =
      in.noise_floor_pct >= 0 ? "noise floor " + Plain(in.noise_floor_pct, 2) + "%"
                              : "noise floor not calibrated";

  // The comparison: preferably the best kernel timed in the same loop as
  // this one (drift cancels), else the best's recorded run (difference of
  // log speed-ups vs the reference, standard errors combined).
  struct ComboChange {
    std::string name;
    double change;    // candidate speed over best, - 1
    double delta_ns;  // ns saved per operation (> 0: faster)
    double z_slower;  // evidence that the combo got slower
  };
  std::vector<ComboChange> changes;
  double d = 0.0, se = 0.0;
  std::string how;
  if (m.vs_best) {
    how = " (timed in the same loop)";
    d = std::log(m.vs_best->speedup);
    se = m.vs_best->log_se;
    for (const ComboMeasurement& c : m.combos) {
      changes.push_back({ComboName(c), c.vs_best - 1.0, c.best_median_ns - c.cand_median_ns,
                         -std::log(c.vs_best) / std::max(c.vs_best_log_se, 1e-12)});
    }
  } else {
    how = " (its recorded run)";
    const MeasureResult& b = *in.best->measure;
    d = std::log(m.speedup) - std::log(b.speedup);
    se = std::sqrt(m.log_se * m.log_se + b.log_se * b.log_se);
    for (const ComboMeasurement& c : m.combos) {
      const ComboMeasurement* bc = FindCombo(b, c);
      if (bc == nullptr) {
        g.keep = "discard";
        g.rule = "worst-combo";
        g.exit_code = kExitDiscard;
        g.verdict = "discard: combo " + ComboName(c) + " has no counterpart in " + vs +
                    " (the workloads changed; start a new baseline)";
        return g;
      }
      // In the best's reference ns, so drift between the runs does not enter.
      const double se_c = std::sqrt(c.log_se * c.log_se + bc->log_se * bc->log_se);
      changes.push_back({ComboName(c), c.speedup / bc->speedup - 1.0,
                         bc->ref_median_ns * (1.0 / bc->speedup - 1.0 / c.speedup),
                         (std::log(bc->speedup) - std::log(c.speedup)) / std::max(se_c, 1e-12)});
    }
  }
  g.gain = std::exp(d) - 1.0;
  g.gain_lower = std::exp(d - kConfidenceZ * se) - 1.0;
  g.p_value = se > 0 ? NormalSurvival(d / se) : (d > 0 ? 0.0 : 1.0);
  g.improvement_ns = 0.0;
  g.regression_ns = 0.0;
  g.worst_change = INFINITY;
  for (const ComboChange& c : changes) {
    if (c.change < g.worst_change) {
      g.worst_change = c.change;
      g.worst_combo = c.name;
    }
    if (c.delta_ns >= 0) {
      g.improvement_ns += c.delta_ns;
    } else if (c.z_slower > kConfidenceZ) {
      // Only a regression beyond the combo's own noise counts.
      g.regression_ns += -c.delta_ns;
    }
  }
  const std::string versus = vs + how;

  if (g.gain_lower < g.threshold) {
    g.keep = "discard";
    g.rule = "significance";
    g.exit_code = kExitDiscard;
    char p[32];
    std::snprintf(p, sizeof(p), "%.2g", g.p_value);
    g.verdict = "discard: " + Pct(g.gain) + " vs " + versus +
                (g.gain > 0 ? ", not enough evidence" : ", not faster") + " (p=" + p +
                "; 95% lower bound " + Pct(g.gain_lower) + " < " + Pct(g.threshold) +
                " required), " + floor_note;
    return g;
  }
  if (g.worst_change < -kWorstComboLimit) {
    g.keep = "discard";
    g.rule = "worst-combo";
    g.exit_code = kExitDiscard;
    g.verdict = "discard: " + Pct(g.gain) + " vs " + versus + " but " + g.worst_combo +
                " regressed " + Pct(g.worst_change) + " (limit " +
                Pct(-kWorstComboLimit, 0) + ")";
    return g;
  }
  if (g.improvement_ns < kTradeOffFactor * g.regression_ns) {
    g.keep = "discard";
    g.rule = "trade-off";
    g.exit_code = kExitDiscard;
    g.verdict = "discard: " + Pct(g.gain) + " vs " + versus + " but combos gained " +
                Plain(g.improvement_ns, 0) + " ns and lost " + Plain(g.regression_ns, 0) +
                " ns (gains must be >= 10x significant losses)";
    return g;
  }
  g.keep = "keep";
  g.rule = "all";
  g.exit_code = kExitOk;
  char p[32];
  std::snprintf(p, sizeof(p), "%.2g", g.p_value);
  g.verdict = "keep (" + Pct(g.gain) + " vs " + versus + ", 95% lower bound " +
              Pct(g.gain_lower) + " >= " + Pct(g.threshold) + ", p=" + p +
              "; worst combo " + g.worst_combo + " " + Pct(g.worst_change) + ")";
  return g;
}

nlohmann::json ToJson(const GateResult& g) {
  auto num = [](double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); };
  return {{"keep", g.keep},
          {"rule", g.rule},
          {"verdict", g.verdict},
          {"exit_code", g.exit_code},
          {"gain", num(g.gain)},
          {"gain_lower", num(g.gain_lower)},
          {"p_value", num(g.p_value)},
          {"threshold", num(g.threshold)},
          {"worst_change", num(g.worst_change)},
          {"worst_combo", g.worst_combo},
          {"improvement_ns", num(g.improvement_ns)},
          {"regression_ns", num(g.regression_ns)}};
}

}  // namespace lar
