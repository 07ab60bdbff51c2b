// The keep gate's rules, in the order HARNESS.md gives them.
#include "harness/gate.h"

#include <cmath>
#include <cstdio>

#include "base/check.h"
#include "base/strings.h"
#include "harness/exit_codes.h"
#include "harness/stats.h"

namespace lar {
namespace {

const ComboMeasurement* FindCombo(const MeasureResult& m, const ComboMeasurement& c) {
  for (const ComboMeasurement& x : m.combos) {
    if (x.shape == c.shape && x.distribution == c.distribution) return &x;
  }
  return nullptr;
}

GateResult Decided(Keep keep, const char* rule, int exit_code, std::string verdict) {
  GateResult g;
  g.keep = keep;
  g.rule = rule;
  g.exit_code = exit_code;
  g.verdict = std::move(verdict);
  return g;
}

// The verdicts that need no comparison: crash, timeout, edit scope,
// correctness, baseline. nullopt when the trial must be compared.
std::optional<GateResult> WithoutComparison(const GateInput& in, const std::string& vs) {
  const RunRecord& t = *in.trial;
  if (t.status == RunStatus::kCrash) {
    return Decided(Keep::kCrash, "crash", kExitCrash, "crash: " + t.failure);
  }
  if (t.status == RunStatus::kTimeout) {
    return Decided(Keep::kTimeout, "timeout", kExitBudget, "timeout: " + t.failure);
  }
  if (in.outside_files && !in.outside_files->empty() && !in.force_baseline) {
    std::string files;
    for (const std::string& f : *in.outside_files) files += (files.empty() ? "" : ", ") + f;
    return Decided(Keep::kInvalid, "edit-scope", kExitInvalid,
                   "invalid: files other than targets/" + t.target + "/kernels.cc changed since " +
                       vs + ": " + files +
                       " (revert them, or start a new baseline with --baseline)");
  }
  if (t.correctness != Correctness::kPass) {
    return Decided(
        Keep::kDiscard, "correctness", kExitCorrectness,
        "discard: correctness " + std::string(ToString(t.correctness)) + ": " + t.failure);
  }
  if (in.best == nullptr || in.force_baseline) {
    LAR_CHECK(t.measure.has_value(), "a correct baseline of %s without a measurement",
              t.target.c_str());
    const MeasureResult& m = *t.measure;
    GateResult g = Decided(Keep::kBaseline, "baseline", kExitOk,
                           "baseline (speed-up " + Fixed(m.speedup, 3) + " [" +
                               Fixed(m.speedup_ci.lo, 3) + ", " + Fixed(m.speedup_ci.hi, 3) +
                               "] vs the reference; later " + t.isa + " trials of " + t.target +
                               " on this machine are gated against it, keep minimum " +
                               Pct(KeepMinimum(in.noise_floor_pct, in.min_gain_floor), 2) + ")");
    g.threshold = KeepMinimum(in.noise_floor_pct, in.min_gain_floor);
    return g;
  }
  return std::nullopt;
}

struct ComboChange {
  std::string name;
  double change;    // candidate speed over best, - 1
  double delta_ns;  // ns saved per operation (> 0: faster)
  double z_slower;  // evidence that the combo got slower
};

struct Changes {
  double log_gain = 0.0;  // log of the candidate's speed over the best
  double log_se = 0.0;
  std::vector<ComboChange> combos;
  std::string missing_combo;  // a combo the best's record lacks
};

// The best kernel timed in the same loop as this one: drift cancels.
Changes InLoopChanges(const MeasureResult& m) {
  Changes out;
  out.log_gain = std::log(m.vs_best->speedup);
  out.log_se = m.vs_best->log_se;
  for (const ComboMeasurement& c : m.combos) {
    out.combos.push_back({ComboName(c), c.vs_best - 1.0, c.best_median_ns - c.cand_median_ns,
                          -std::log(c.vs_best) / std::max(c.vs_best_log_se, 1e-12)});
  }
  return out;
}

// Two recorded runs: the difference of log speed-ups vs the reference,
// standard errors combined; ns in the best's reference ns, so drift
// between the runs does not enter.
Changes RecordChanges(const MeasureResult& m, const MeasureResult& b) {
  Changes out;
  out.log_gain = std::log(m.speedup) - std::log(b.speedup);
  out.log_se = std::sqrt(m.log_se * m.log_se + b.log_se * b.log_se);
  for (const ComboMeasurement& c : m.combos) {
    const ComboMeasurement* bc = FindCombo(b, c);
    if (bc == nullptr) {
      out.missing_combo = ComboName(c);
      return out;
    }
    const double se_c = std::sqrt(c.log_se * c.log_se + bc->log_se * bc->log_se);
    out.combos.push_back({ComboName(c), c.speedup / bc->speedup - 1.0,
                          bc->ref_median_ns * (1.0 / bc->speedup - 1.0 / c.speedup),
                          (std::log(bc->speedup) - std::log(c.speedup)) / std::max(se_c, 1e-12)});
  }
  return out;
}

// Fills the comparison numbers of `g` from `changes`.
void Summarize(const Changes& changes, GateResult* g) {
  const double d = changes.log_gain, se = changes.log_se;
  g->gain = std::exp(d) - 1.0;
  g->gain_lower = std::exp(d - kConfidenceZ * se) - 1.0;
  g->p_value = se > 0 ? NormalSurvival(d / se) : (d > 0 ? 0.0 : 1.0);
  g->improvement_ns = 0.0;
  g->regression_ns = 0.0;
  g->worst_change = INFINITY;
  for (const ComboChange& c : changes.combos) {
    if (c.change < g->worst_change) {
      g->worst_change = c.change;
      g->worst_combo = c.name;
    }
    if (c.delta_ns >= 0) {
      g->improvement_ns += c.delta_ns;
    } else if (c.z_slower > kConfidenceZ) {
      // Only a regression beyond the combo's own noise counts.
      g->regression_ns += -c.delta_ns;
    }
  }
}

std::string PValue(double p) { return StrFormat("%.2g", p); }

}  // namespace

std::optional<IsaChange> CompareAtIsa(const IsaRun& run, const RunRecord* best, bool in_loop,
                                      double least) {
  IsaChange c;
  c.isa = run.isa;
  c.limit = -KeepMinimum(run.noise_floor_pct, least);
  double d = 0.0, se = 0.0;
  if (in_loop && run.measure.vs_best) {
    d = std::log(run.measure.vs_best->speedup);
    se = run.measure.vs_best->log_se;
  } else {
    const IsaRun* b = nullptr;
    if (best != nullptr) {
      for (const IsaRun& x : best->per_isa) {
        if (x.isa == run.isa) b = &x;
      }
    }
    if (b == nullptr || b->measure.speedup <= 0 || run.measure.speedup <= 0) return std::nullopt;
    d = std::log(run.measure.speedup) - std::log(b->measure.speedup);
    se = std::hypot(run.measure.log_se, b->measure.log_se);
  }
  c.change = std::exp(d) - 1.0;
  c.upper = std::exp(d + kConfidenceZ * se) - 1.0;
  return c;
}

double KeepMinimum(double noise_floor_pct, double least) {
  if (noise_floor_pct < 0) return std::max(least, kUncalibratedMinGain);
  return std::max(least, noise_floor_pct / 100.0);
}

std::pair<std::string, std::string> ComparedPercents(double a, double b) {
  // At least the decimals `b` (the bound asked for) has, up to two:
  // +0.25%, not +0.2%.
  int first = 1;
  for (double scaled = 1000.0 * b; first < 2; ++first, scaled *= 10.0) {
    if (std::fabs(scaled - std::round(scaled)) < 1e-6) break;
  }
  for (int decimals = first; decimals < 6; ++decimals) {
    const std::string sa = Pct(a, decimals), sb = Pct(b, decimals);
    if (sa != sb || a == b) return {sa, sb};
  }
  return {Pct(a, 6), Pct(b, 6)};
}

GateResult ApplyGate(const GateInput& in) {
  LAR_CHECK(in.trial != nullptr, "the gate needs a trial");
  const RunRecord& t = *in.trial;
  const std::string vs =
      "the " + t.isa + " best" + (in.best_commit.empty() ? "" : " " + in.best_commit);
  if (std::optional<GateResult> early = WithoutComparison(in, vs)) return *early;

  GateResult g;
  g.threshold = KeepMinimum(in.noise_floor_pct, in.min_gain_floor);
  const std::string floor_note =
      in.noise_floor_pct >= 0 ? "keep minimum = max(" + Pct(in.min_gain_floor, 2) +
                                    ", noise floor " + Fixed(in.noise_floor_pct, 2) + "%)"
                              : "keep minimum " + Pct(kUncalibratedMinGain, 0) +
                                    ": noise floor not calibrated (lar calibrate, or a baseline)";
  LAR_CHECK(t.measure.has_value(), "a correct trial of %s without a measurement", t.target.c_str());
  LAR_CHECK(in.best->measure.has_value() || (t.measure->vs_best && in.in_loop_is_best),
            "the best of %s has no measurement", t.target.c_str());
  const MeasureResult& m = *t.measure;
  const bool in_loop = m.vs_best.has_value() && in.in_loop_is_best;
  g.comparison = in_loop ? "in-loop" : "records";
  const Changes changes = in_loop ? InLoopChanges(m) : RecordChanges(m, *in.best->measure);
  const std::string versus =
      vs + (in_loop ? " (timed in the same loop)" : " (its recorded run: a cross-run comparison)");
  if (!changes.missing_combo.empty()) {
    g = Decided(Keep::kDiscard, "worst-combo", kExitDiscard,
                "discard: combo " + changes.missing_combo + " has no counterpart in " + vs +
                    " (the workloads changed; start a new baseline)");
    g.comparison = "records";
    return g;
  }
  Summarize(changes, &g);

  if (g.gain_lower < g.threshold) {
    const auto [lower, needed] = ComparedPercents(g.gain_lower, g.threshold);
    g.keep = Keep::kDiscard;
    g.rule = "significance";
    g.exit_code = kExitDiscard;
    g.verdict = "discard: " + Pct(g.gain) + " vs " + versus +
                (g.gain > 0 ? ", not enough evidence" : ", not faster") +
                " (p=" + PValue(g.p_value) + "; 95% lower bound " + lower + " < " + needed +
                " required), " + floor_note;
    return g;
  }
  if (g.worst_change < -kWorstComboLimit) {
    g.keep = Keep::kDiscard;
    g.rule = "worst-combo";
    g.exit_code = kExitDiscard;
    g.verdict = "discard: " + Pct(g.gain) + " vs " + versus + " but " + g.worst_combo +
                " regressed " + Pct(g.worst_change) + " (limit " + Pct(-kWorstComboLimit, 0) + ")";
    return g;
  }
  if (g.improvement_ns < kTradeOffFactor * g.regression_ns) {
    g.keep = Keep::kDiscard;
    g.rule = "trade-off";
    g.exit_code = kExitDiscard;
    g.verdict = "discard: " + Pct(g.gain) + " vs " + versus + " but combos gained " +
                Fixed(g.improvement_ns, 0) + " ns and lost " + Fixed(g.regression_ns, 0) +
                " ns (gains must be >= 10x significant losses)";
    return g;
  }
  // --isas: no other named ISA may regress against the best.
  for (const IsaRun& run : t.per_isa) {
    const std::optional<IsaChange> c = CompareAtIsa(run, in.best, in_loop, in.min_gain_floor);
    if (!c || c->upper >= c->limit) continue;
    const auto [upper, allowed] = ComparedPercents(c->upper, c->limit);
    g.keep = Keep::kDiscard;
    g.rule = "isa-regression";
    g.decided_by_isa = run.isa;
    g.exit_code = kExitDiscard;
    g.verdict = "discard: " + Pct(g.gain) + " vs " + versus + " but " + run.isa + " regressed " +
                Pct(c->change) + " vs the best (95% upper bound " + upper + " < " + allowed +
                " allowed)";
    return g;
  }
  const auto [lower, needed] = ComparedPercents(g.gain_lower, g.threshold);
  g.keep = Keep::kKeep;
  g.rule = "all";
  g.exit_code = kExitOk;
  g.verdict = "keep (" + Pct(g.gain) + " vs " + versus + ", 95% lower bound " + lower +
              " >= " + needed + ", p=" + PValue(g.p_value) + "; worst combo " + g.worst_combo +
              " " + Pct(g.worst_change) + (t.per_isa.empty() ? "" : "; no named ISA regressed") +
              ")";
  return g;
}

}  // namespace lar
