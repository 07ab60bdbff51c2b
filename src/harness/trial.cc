// The steps of lar trial (harness/trial.h).
#include "harness/trial.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>

#include "base/check.h"
#include "base/strings.h"
#include "harness/calibration.h"
#include "harness/git.h"
#include "harness/lock.h"
#include "harness/phases.h"
#include "harness/timer.h"
#include "harness/variant.h"
#include "harness/version.h"

namespace lar {
namespace {

namespace fs = std::filesystem;

bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// Whether the build or an #include can see an untracked file at `path`.
bool BuildCanReach(const std::string& path) {
  for (const char* dir : {"src/", "targets/", "tests/", "templates/"}) {
    if (StartsWith(path, dir)) return true;
  }
  const std::string name = fs::path(path).filename().string();
  return name == "meson.build" || name == "meson_options.txt";
}

bool IsOwnOutput(const std::string& path, const std::vector<std::string>& own_outputs) {
  for (const std::string& own : own_outputs) {
    if (path == own || StartsWith(path, own + "/")) return true;
  }
  return false;
}

uint64_t FreshSeed() {
  std::random_device rd;
  return (static_cast<uint64_t>(rd()) << 32 ^ rd() ^ NowNs()) % 1000000000000ull;
}

// Wall-clock budget of the trial; waiting for the bench lock does not count.
class Budget {
 public:
  explicit Budget(double seconds) : seconds_(seconds), start_(NowNs()) {}
  double left() const { return std::max(seconds_ - elapsed(), 1.0); }
  double elapsed() const { return static_cast<double>(NowNs() - start_) * 1e-9; }
  void Exclude(double waited) { start_ += static_cast<uint64_t>(waited * 1e9); }
  int seconds() const { return static_cast<int>(seconds_); }

 private:
  double seconds_;
  uint64_t start_;
};

// lar's own files, relative to the checkout: the results file and .lar/.
std::vector<std::string> OwnOutputs(const std::string& top, const std::string& results_path) {
  std::vector<std::string> out;
  const fs::path root = fs::weakly_canonical(top);
  for (const std::string& p : {results_path, StateDir(results_path)}) {
    out.push_back(fs::weakly_canonical(p).lexically_relative(root).string());
  }
  return out;
}

// Step: the edit scope since the best's commit. Sets gate->outside_files
// (nullopt when it could not be checked, with the reason in *note).
void CheckEditScope(const std::optional<GitState>& git, const BestKept& best, const Target& target,
                    const TrialRequest& request, const std::optional<std::string>& source,
                    GateInput* gate, std::string* note) {
  if (!git) {
    *note = "not in a git checkout: edit scope not checked";
    return;
  }
  if (!best.record || !best.record->trial) return;
  LAR_CHECK(best.row != nullptr, "a best record without its row");
  const TrialInfo& bt = *best.record->trial;
  if (bt.commit.empty()) {
    *note = "the best trial has no commit: edit scope not checked";
    return;
  }
  const std::optional<WorkingChanges> changed = ChangedSince(git->top_level, bt.commit);
  if (!changed) {
    *note = "the best's commit " + best.row->commit +
            " is not in this checkout: edit scope not checked";
    return;
  }
  std::vector<std::string> outside =
      OutsideEditScope(changed->tracked, changed->untracked, target.id,
                       OwnOutputs(git->top_level, request.results_path));
  if (source && !bt.kernel_source.empty() &&
      OutsideFences(*source) != OutsideFences(bt.kernel_source)) {
    outside.push_back("targets/" + target.id + "/kernels.cc (outside the MUTABLE fences)");
  }
  gate->outside_files = outside;
}

struct Variants {
  std::optional<KernelVariant> candidate;
  std::optional<KernelVariant> yardstick;  // the best, or a second candidate
  bool same_source = false;                // the two built from one kernels.cc
  // Layouts 1 .. kLayouts-1 of both (variant.h), candidate then yardstick
  // per layout, rotated across the bench's pairs of processes with layout 0 (the
  // two above); empty if a layout failed to link.
  std::vector<KernelVariant> layouts;
};

// What RunBenchPhase rotates through (pointers into `v`, valid while it is).
// When both are the same source (a baseline's A/A, an unchanged trial)
// the two files of each layout also trade roles, in an order that
// balances them over any even number of units: a file's own luck (the
// physical pages the page cache gave it, its load address) then cancels
// instead of favouring one side in every trial.
Placements PlacementsOf(const Variants& v, bool same_source) {
  Placements p;
  if (v.layouts.empty() || !v.candidate || !v.yardstick) return p;
  std::vector<const Target*> first = {&v.candidate->target}, second = {&v.yardstick->target};
  for (size_t i = 0; i + 1 < v.layouts.size(); i += 2) {
    first.push_back(&v.layouts[i].target);
    second.push_back(&v.layouts[i + 1].target);
  }
  const size_t n = first.size();
  for (size_t e = 0; e < (same_source ? 2 * n : n); ++e) {
    const size_t k = e % n;
    const bool traded = same_source && (k + e / n) % 2 == 1;
    p.candidate.push_back(traded ? second[k] : first[k]);
    p.best.push_back(traded ? first[k] : second[k]);
  }
  return p;
}

// The other code layouts of both kernels; on a failure, a note and no
// rotation.
void LoadLayouts(const Target& target, const std::string& source, const std::string& best_source,
                 const std::string& state_dir, Variants* v) {
  std::string error;
  const int twin = best_source == source ? 1 : 0;
  v->layouts.reserve(2 * kLayouts);
  for (int k = 1; k < kLayouts; ++k) {
    auto c = LoadKernelVariant(target, source, state_dir, 0, &error, k);
    auto b = c ? LoadKernelVariant(target, best_source, state_dir, twin, &error, k) : std::nullopt;
    if (!c || !b) {
      std::fprintf(stderr, "lar: note: %s; timing one code layout only\n", error.c_str());
      v->layouts.clear();
      return;
    }
    v->layouts.push_back(std::move(*c));
    v->layouts.push_back(std::move(*b));
  }
}

// Step: the candidate and the kernel it is compared with, both built from
// source and timed in the same loop: the best's recorded kernels.cc, or
// for a baseline a second instance of this kernel (an A/A run whose spread
// is the noise floor of the comparison).
Variants LoadVariants(const Target& target, const std::optional<std::string>& source,
                      const BestKept& best, bool baseline, const std::string& state_dir) {
  Variants v;
  std::string error;
  const std::string best_source =
      baseline ? source.value_or("")
               : (best.record->trial ? best.record->trial->kernel_source : "");
  if (!source) {
    error = "the source of targets/" + target.id + "/kernels.cc is not here";
  } else if (best_source.empty()) {
    error = "the best trial did not record its kernel source";
  } else {
    v.candidate = LoadKernelVariant(target, *source, state_dir, 0, &error);
    if (v.candidate) {
      v.yardstick =
          LoadKernelVariant(target, best_source, state_dir, best_source == *source ? 1 : 0, &error);
    }
  }
  if (v.candidate && v.yardstick) {
    v.same_source = best_source == *source;
    LoadLayouts(target, *source, best_source, state_dir, &v);
  }
  if (!v.candidate || !v.yardstick) {
    v.candidate.reset();
    v.yardstick.reset();
    std::fprintf(stderr, "lar: note: %s; %s\n", error.c_str(),
                 baseline ? "calibrating with the reference instead"
                          : "comparing with the best's recorded run instead");
  }
  return v;
}

// Step: the battery on every supported ISA, fixed seed and a fresh one.
bool VerifyStep(const Target& target, const TrialRequest& request, const Budget& budget,
                RunRecord* record) {
  const VerifyPhase v = RunVerifyPhase(target, SupportedIsas(), {kFixedSeed, FreshSeed()},
                                       request.quick, budget.left());
  record->verify = v.report;
  std::string failure = v.failure;
  if (v.status == PhaseStatus::kFailed) {
    const VerifyFailure& f = v.report.failures.front();
    failure = "[" + f.isa + "] case '" + f.case_name + "': " + f.mismatch.field + "[" +
              std::to_string(f.mismatch.index) + "] expected " + f.mismatch.expected + ", got " +
              f.mismatch.got + " (reproduce: lar verify " + target.id + " --isa " + f.isa +
              " --seed " + std::to_string(f.seed) + ")";
  } else if (v.status == PhaseStatus::kTimedOut) {
    failure += " (budget " + std::to_string(budget.seconds()) + " s)";
  }
  if (v.status == PhaseStatus::kOk) return true;
  ApplyPhaseStatus(v.status, failure, record);
  return false;
}

MeasureOptions TrialMeasureOptions(const TrialRequest& request, bool baseline) {
  MeasureOptions options = DefaultMeasureOptions(request.quick);
  if (baseline && !request.quick) {
    // A baseline is the yardstick of every later trial: measure it longer.
    options.min_replicates *= 2;
    options.max_seconds = 60.0;
  }
  if (request.max_seconds > 0) options.max_seconds = request.max_seconds;
  options.seed = request.seed;
  if (!baseline) options.planted_delay = request.planted_delay_pct / 100.0;
  options.progress = isatty(STDERR_FILENO) != 0;
  return options;
}

// The measurement at one ISA (nullopt: the best this CPU runs), the best
// (or a twin) timed in the same loop.
BenchPhase TimeAt(const Target& target, const std::optional<Isa>& isa, const TrialRequest& request,
                  const MeasureOptions& options, const Variants& variants, const Budget& budget) {
  const Placements placements = PlacementsOf(variants, variants.same_source);
  return variants.candidate ? RunBenchPhase(variants.candidate->target, isa, request.quick, options,
                                            budget.left(), &variants.yardstick->target,
                                            placements.candidate.empty() ? nullptr : &placements)
                            : RunBenchPhase(target, isa, request.quick, options, budget.left());
}

// Step: the measurement at the timed ISA, then at each other ISA --isas
// names (into record->per_isa), under one bench lock.
BenchPhase BenchStep(const Target& target, const TrialRequest& request,
                     const MeasureOptions& options, const Variants& variants, Budget* budget,
                     RunRecord* record) {
  MachineLock lock("lar trial " + target.id);
  budget->Exclude(lock.waited_seconds());
  BenchPhase b = TimeAt(target, request.isa, request, options, variants, *budget);
  record->measure = b.measure;
  record->peak_mem_mb = b.peak_mem_mb;
  if (!b.isa.empty()) record->isa = b.isa;
  std::string failure = b.failure;
  for (const Isa& isa : request.isas) {
    if (b.status != PhaseStatus::kOk) break;
    if (isa.name == record->isa) continue;
    const BenchPhase other = TimeAt(target, isa, request, options, variants, *budget);
    record->peak_mem_mb = std::max(record->peak_mem_mb, other.peak_mem_mb);
    if (other.status != PhaseStatus::kOk) {
      b.status = other.status;
      failure = "[" + isa.name + "] " + other.failure;
      break;
    }
    IsaRun run{isa.name, *other.measure, -1.0};
    if (const auto c =
            LoadCalibration(request.results_path, record->fingerprint, target.id, isa.name)) {
      run.noise_floor_pct = c->noise_floor_pct();
    }
    record->per_isa.push_back(std::move(run));
  }
  if (b.status == PhaseStatus::kTimedOut) {
    failure += " (budget " + std::to_string(budget->seconds()) + " s)";
  }
  ApplyPhaseStatus(b.status, failure, record);
  return b;
}

// Step: every baseline also calibrates the noise floor of its ISA: from
// its A/A comparison with a second build of itself, else by timing the
// reference against a copy of itself.
void CalibrateBaseline(const Target& target, const TrialRequest& request,
                       const MeasureOptions& options, const BenchPhase& b, const Budget& budget,
                       RunRecord* record) {
  std::optional<AaResult> kernel_aa, reference_aa;
  const std::string origin = "the " + record->isa + " baseline " + record->run_id;
  if (b.measure && b.measure->vs_best) {
    const Comparison& aa = *b.measure->vs_best;
    kernel_aa = MakeAaResult(aa.speedup, aa.ci, b.measure->rounds, record->isa, origin);
  } else if (budget.left() > 1.0) {
    MeasureOptions aa = options;
    aa.self_compare = true;
    const BenchPhase a = RunBenchPhase(target, request.isa, request.quick, aa, budget.left());
    if (a.status == PhaseStatus::kOk && a.measure) {
      reference_aa =
          MakeAaResult(a.measure->speedup, a.measure->speedup_ci, a.measure->rounds, a.isa, origin);
    }
  }
  if (!kernel_aa && !reference_aa) return;
  StoreCalibration(request.results_path, record->fingerprint, target.id, reference_aa, kernel_aa);
}

// Step: the noise floor this trial is gated with, and where it came from;
// when it differs from the one the best ran with, why.
void LoadNoiseFloor(const TrialRequest& request, const BestKept& best, RunRecord* record) {
  const std::optional<Calibration> c =
      LoadCalibration(request.results_path, record->fingerprint, record->target, record->isa);
  if (!c) return;
  record->noise_floor_pct = c->noise_floor_pct();
  record->noise_floor_source = c->Describe();
  if (!best.record || best.record->noise_floor_pct < 0) return;
  const double before = best.record->noise_floor_pct;
  if (std::fabs(before - record->noise_floor_pct) < 0.005) return;
  const std::string since = best.record->timestamp;
  std::string why = "the calibration changed since";
  if (c->kernel && c->kernel->timestamp > since) {
    why = "re-measured since by " + c->kernel->origin;
  } else if (c->reference && c->reference->timestamp > since) {
    why = "lar calibrate ran since";
  }
  record->noise_floor_source +=
      StrFormat("; was %.2f%% when the best %s ran: ", before, best.name().c_str()) + why;
}

TrialInfo NewTrialInfo(const TrialRequest& request, const std::optional<GitState>& git,
                       const BestKept& best, bool baseline,
                       const std::optional<std::string>& source, bool in_loop) {
  TrialInfo t;
  t.description = request.message;
  t.commit = git ? git->commit : "";
  t.dirty = git ? git->dirty : false;
  t.best_commit = baseline ? "self (A/A)" : best.name();
  t.best_run_id = best.row ? best.row->run_id : "";
  t.kernel_source = source.value_or("");
  t.kernel_hash = source ? KernelSourceHash(*source) : "";
  t.compared_in_loop = in_loop;
  return t;
}

}  // namespace

std::string BestKept::name() const {
  if (row == nullptr) return "";
  return row->commit.empty() || row->commit == "-" ? row->run_id : row->commit;
}

BestKept FindBest(const ResultsFile& results, const std::string& results_path,
                  const std::string& target, const std::string& machine, const std::string& isa,
                  std::vector<std::string>* warnings) {
  BestKept best;
  for (auto it = results.rows.rbegin(); it != results.rows.rend(); ++it) {
    if (it->target != target || it->machine != machine || it->isa != isa || !it->kept()) {
      continue;
    }
    std::string warning;
    std::optional<RunRecord> rec = ReadRunRecord(results_path, it->run_id, &warning);
    if (!rec) {
      warnings->push_back(it->file + ":" + std::to_string(it->line) + ": " + warning +
                          "; trying an earlier kept trial");
      continue;
    }
    if (rec->harness_version != kHarnessVersion || !rec->measure) continue;
    best.row = &*it;
    best.record = std::move(rec);
    return best;
  }
  return best;
}

std::vector<std::string> OutsideEditScope(const std::vector<std::string>& tracked,
                                          const std::vector<std::string>& untracked,
                                          const std::string& target_id,
                                          const std::vector<std::string>& own_outputs) {
  const std::string allowed = "targets/" + target_id + "/kernels.cc";
  std::vector<std::string> outside;
  for (const std::string& f : tracked) {
    if (f != allowed && !IsOwnOutput(f, own_outputs)) outside.push_back(f);
  }
  for (const std::string& f : untracked) {
    if (BuildCanReach(f) && !IsOwnOutput(f, own_outputs)) outside.push_back(f);
  }
  return outside;
}

std::string OutsideFences(const std::string& kernel_source) {
  std::string out;
  bool inside = false;
  size_t pos = 0;
  while (pos < kernel_source.size()) {
    size_t end = kernel_source.find('\n', pos);
    if (end == std::string::npos) end = kernel_source.size();
    const std::string line = kernel_source.substr(pos, end - pos);
    if (line.find("END MUTABLE") != std::string::npos) inside = false;
    if (!inside) out += line + "\n";
    if (line.find("BEGIN MUTABLE") != std::string::npos) inside = true;
    pos = end + 1;
  }
  return out;
}

RunRecord RunTrialSteps(const Target& target, const TrialRequest& request) {
  Budget budget(request.budget_seconds);
  const MachineInfo machine = DescribeMachine();
  RunRecord record = NewRecord(target, machine, "trial");
  record.isa = request.isa ? request.isa->name : machine.best_isa;
  record.isa_forced = request.isa.has_value();
  record.measure_seed = request.seed;

  const ResultsFile results = ReadResults(request.results_path);
  std::vector<std::string> warnings = results.warnings;
  const BestKept best =
      FindBest(results, request.results_path, target.id, record.fingerprint, record.isa, &warnings);
  LoadNoiseFloor(request, best, &record);

  GateInput gate;
  gate.force_baseline = request.baseline;
  const std::optional<GitState> git = ReadGitState(".");
  const std::optional<std::string> source = ReadKernelSource(target.id);
  std::string scope_note;
  CheckEditScope(git, best, target, request, source, &gate, &scope_note);
  if (!scope_note.empty()) warnings.push_back(scope_note);
  for (const std::string& w : warnings) std::fprintf(stderr, "lar: warning: %s\n", w.c_str());

  const bool baseline = request.baseline || !best.record;
  const bool invalid = gate.outside_files && !gate.outside_files->empty() && !request.baseline;
  Variants variants;
  if (request.build_failure) {
    record.status = RunStatus::kCrash;
    record.failure = "build failed: " + *request.build_failure;
  } else if (invalid) {
    record.status = RunStatus::kInvalid;
  } else {
    variants = LoadVariants(target, source, best, baseline, StateDir(request.results_path));
    // A planted delay makes the best another kernel (what the gate's
    // evidence needs: a real change), so its copy does not trade roles.
    if (request.planted_delay_pct > 0 && !baseline) variants.same_source = false;
    if (VerifyStep(target, request, budget, &record)) {
      const MeasureOptions options = TrialMeasureOptions(request, baseline);
      const BenchPhase b = BenchStep(target, request, options, variants, &budget, &record);
      if (baseline && b.status == PhaseStatus::kOk) {
        CalibrateBaseline(target, request, options, b, budget, &record);
        LoadNoiseFloor(request, BestKept{}, &record);
      }
    }
  }

  record.trial = NewTrialInfo(request, git, best, baseline, source, variants.candidate.has_value());
  // --plant-delay acts only where the best is timed in the loop.
  const bool planted = request.planted_delay_pct > 0 && !baseline && variants.candidate;
  if (request.planted_delay_pct > 0 && !planted) {
    std::fprintf(stderr, "lar: note: --plant-delay ignored: %s\n",
                 baseline ? "this trial is a baseline (no best to delay)"
                          : "the best is not timed in the same loop");
  }
  record.trial->planted_delay_pct = planted ? request.planted_delay_pct : 0.0;
  gate.best_commit = baseline ? "" : best.name();
  gate.trial = &record;
  gate.best = best.record ? &*best.record : nullptr;
  gate.noise_floor_pct = record.noise_floor_pct;
  if (request.quick) gate.min_gain_floor = kUncalibratedMinGain;
  record.trial->gate = ApplyGate(gate);
  if (planted) {
    record.trial->gate.verdict +=
        " [testing: the best was timed " + Fixed(request.planted_delay_pct, 2) + "% slower]";
  }
  record.verdict = record.trial->gate.verdict;
  record.total_seconds = budget.elapsed();

  // The record first, then the row that points to it.
  WriteRunRecord(request.results_path, record, machine);
  AppendRow(request.results_path,
            RowFromRecord(record, ToString(record.trial->gate.keep), git ? git->short_commit : "",
                          git ? git->dirty : false, request.message));
  return record;
}

}  // namespace lar
