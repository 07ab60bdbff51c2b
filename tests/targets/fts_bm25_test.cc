// fts-bm25's reference against values worked out by hand from scorer.rs
// (docs/lance/query.md s1.1, s1.5).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>

#include "targets/fts-bm25/fts_bm25.h"

namespace lar::fts_bm25 {

TEST_SUITE("kernels") {
  TEST_CASE("fts-bm25: the reference's formula at points known by hand") {
    // idf(1, 1e6) = ln(666,667) = 13.41; no postings: weight 0.
    CHECK(std::fabs(reference::QueryWeight(1, 1'000'000) - 13.41f) < 0.01f);
    CHECK(reference::QueryWeight(0, 1'000'000) == 0.0f);
    // dl == avgdl, f = 1: norm = K1, weight = 2.2 / 2.2 = 1 exactly.
    const uint32_t id = 0, freq = 1, len = 50;
    float out = -1.0f;
    reference::ScoreBlock(3.5f, 50.0f, &id, &freq, 1, &len, &out);
    CHECK(out == 3.5f);
    // dl = 0: norm = K1 * (1 - B) = 0.3, weight = 2.2 * 4 / 4.3.
    const uint32_t four = 4, zero = 0;
    reference::ScoreBlock(1.0f, 50.0f, &id, &four, 1, &zero, &out);
    CHECK(out == (2.2f * 4.0f) / (4.0f + 1.2f * 0.25f));
    // A huge length over a tiny avgdl overflows the norm: weight 0.
    const uint32_t huge = 0xFFFFFFFFu;
    reference::ScoreBlock(2.0f, 1e-30f, &id, &four, 1, &huge, &out);
    CHECK(out == 0.0f);
  }
}

}  // namespace lar::fts_bm25
