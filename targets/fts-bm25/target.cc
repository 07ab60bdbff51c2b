// fts-bm25 registration: the glue between the harness and the kernel
// contract. The timed operation scores one term's whole posting list,
// calling the kernel once per 128-posting block as Lance's block decoder
// hands them out; terms rotate through the slots. Scores compare bit for
// bit. bytes_per_op: 16 per posting (doc id, freq, score, the gathered
// length). Immutable for agents.
#include <cstring>
#include <optional>

#include "harness/compare.h"
#include "harness/slot_combo.h"
#include "harness/target_sdk.h"
#include "targets/fts-bm25/fts_bm25.h"
#include "targets/fts-bm25/inputs.h"

namespace lar::fts_bm25 {
namespace {

// Bit equality (so -0 / +0 and NaN payloads count), printed as values.
std::optional<Mismatch> CompareScores(const std::string& field, const float* ref, const float* got,
                                      size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (std::memcmp(ref + i, got + i, sizeof(float)) != 0) {
      return Mismatch{field, i, FormatFloat(ref[i]), FormatFloat(got[i]),
                      "bitwise equality (f32, scorer.rs order, no FMA)"};
    }
  }
  return std::nullopt;
}

// A list scored block by block, through any implementation.
template <class ScoreFn>
void ScoreList(const Term& t, float avgdl, const uint32_t* num_tokens, float* out, ScoreFn score) {
  const size_t n = t.doc_ids.size();
  for (size_t at = 0; at < n; at += kBlockSize) {
    score(t.qw, avgdl, t.doc_ids.data() + at, t.freqs.data() + at, std::min(kBlockSize, n - at),
          num_tokens, out + at);
  }
}

Checker PrepareCase(const BatteryCase& c, uint64_t seed, const KernelApi& api) {
  auto p = std::make_shared<Problem>(DrawCase(c, seed));
  auto want = std::make_shared<std::vector<float>>(c.n);
  reference::ScoreBlock(p->qw, p->avgdl, p->doc_ids.data(), p->freqs.data(), c.n,
                        p->num_tokens.data(), want->data());
  const size_t misalign = c.misalign;
  return [=]() -> std::optional<Mismatch> {
    const Misaligned<uint32_t> ids(p->doc_ids, misalign);
    const Misaligned<uint32_t> freqs(p->freqs, misalign);
    const Misaligned<uint32_t> tokens(p->num_tokens, misalign);
    GuardedOutput<float> out(c.n, misalign);
    api.score_block(p->qw, p->avgdl, ids.data(), freqs.data(), c.n, tokens.data(), out.data());
    if (auto m = out.CheckGuard("scores")) return m;
    return CompareScores("scores", want->data(), out.data(), c.n);
  };
}

struct Traits {
  using Api = KernelApi;
  using Case = BatteryCase;
  using Workload = WorkloadSpec;
  using Data = SpeedData;
  using Input = size_t;  // a term
  struct Scratch {};
  struct Result {
    std::vector<float> scores;
    size_t n = 0;
  };
  using Source = SplitMix64;
  using PreparedPtr = int;  // the kernel keeps no state
  static constexpr size_t kSlots = lar::fts_bm25::kSlots;

  static Source MakeSource(const Data&, uint64_t seed) {
    return SplitMix64(DeriveSeed(seed, "terms"));
  }
  static Input MakeInput(const Data&) { return 0; }
  static void Draw(const Data& d, Source& s, Input* t) { *t = s.Below(d.terms->size()); }
  static Scratch MakeScratch(const Data&) { return {}; }
  static Result MakeResult(const Data& d) { return {std::vector<float>(d.max_postings), 0}; }
  static PreparedPtr Prepare(const Api&, const Data&) { return 0; }
  static void RunKernel(const Api& api, PreparedPtr&, const Data& d, const Input& t, Scratch&,
                        Result* r) {
    const Term& term = (*d.terms)[t];
    ScoreList(term, d.corpus->avgdl, d.corpus->num_tokens.data(), r->scores.data(),
              api.score_block);
    r->n = term.doc_ids.size();
  }
  static void RunReference(const Data& d, const Input& t, Scratch&, Result* r) {
    const Term& term = (*d.terms)[t];
    ScoreList(term, d.corpus->avgdl, d.corpus->num_tokens.data(), r->scores.data(),
              &reference::ScoreBlock);
    r->n = term.doc_ids.size();
  }
  static std::optional<Mismatch> Check(const Data&, const Input&, const Result& ref, const Scratch*,
                                       const Result& got, const Scratch*, const std::string& who) {
    return CompareScores(who + "scores", ref.scores.data(), got.scores.data(), ref.n);
  }
  static double BytesPerOp(const Data& d) {
    double postings = 0.0;
    for (const Term& t : *d.terms) postings += static_cast<double>(t.doc_ids.size());
    return 16.0 * postings / static_cast<double>(d.terms->size());
  }
};

}  // namespace

Target MakeTarget(const std::string& id, const KernelApi& api) {
  return MakeSlotTarget<Traits>(
      {.id = id,
       .family = "query",
       .unit = "list",
       .lance_source =
           "lance-index scalar/inverted/scorer.rs doc_weight + wand.rs PostingIterator::score "
           "(qw * doc_weight(freq, num_tokens[doc]))",
       .summary = "BM25 scores of one term's posting list, f32 bit-exact, length gather included",
       .tolerance = "bitwise equality of every f32 score (scorer.rs order, no FMA)",
       .battery = &Battery,
       .prepare_case = &PrepareCase,
       .workloads = &SpeedWorkloads,
       .shape_name = &ShapeName,
       .distribution_name = [](const WorkloadSpec& w) { return LengthsName(w.lengths); },
       .data = [](const WorkloadSpec& w, uint64_t) { return BuildSpeedData(w); },
       .preload = [](const WorkloadSpec& w, uint64_t) { BuildSpeedData(w); }},
      api);
}

namespace {
const Registrar kRegistrar(MakeTarget("fts-bm25", ShippedKernel()));
}  // namespace

}  // namespace lar::fts_bm25
