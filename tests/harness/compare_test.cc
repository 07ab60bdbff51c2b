// Tolerance and ranking comparisons.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "harness/compare.h"

namespace lar {

TEST_SUITE("unit") {
  TEST_CASE("tolerance: absolute near zero, relative for large values") {
    const Tolerance t = kDefaultTolerance;
    CHECK(WithinTolerance(1e-4, 0.0, t));
    CHECK_FALSE(WithinTolerance(1.1e-4, 0.0, t));
    // 1e5: allowed 1e-4 + 1 = 1.0001.
    CHECK(WithinTolerance(100001.0, 100000.0, t));
    CHECK_FALSE(WithinTolerance(100001.01, 100000.0, t));
  }

  TEST_CASE("tolerance: NaN and infinities must match in kind") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    const Tolerance t = kDefaultTolerance;
    CHECK(WithinTolerance(nan, nan, t));
    CHECK_FALSE(WithinTolerance(1.0, nan, t));
    CHECK_FALSE(WithinTolerance(nan, 1.0, t));
    CHECK(WithinTolerance(inf, inf, t));
    CHECK_FALSE(WithinTolerance(-inf, inf, t));
    CHECK_FALSE(WithinTolerance(1e30, inf, t));
  }

  TEST_CASE("CompareFloats names the first differing element") {
    const std::vector<float> ref = {1.0f, 2.0f, 3.0f, 4.0f};
    const std::vector<float> got = {1.0f, 2.0f, 3.5f, 4.5f};
    const auto m = CompareFloats("distances", ref.data(), got.data(), 4, kDefaultTolerance);
    REQUIRE(m.has_value());
    CHECK(m->field == "distances");
    CHECK(m->index == 2);
    CHECK(m->expected == "3");
    CHECK(m->got == "3.5");
    CHECK_FALSE(CompareFloats("d", ref.data(), ref.data(), 4, kDefaultTolerance));
  }

  TEST_CASE("total-order key") {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float inf = std::numeric_limits<float>::infinity();
    CHECK(TotalOrderKey(-inf) < TotalOrderKey(-1.0f));
    CHECK(TotalOrderKey(-0.0f) < TotalOrderKey(0.0f));
    CHECK(TotalOrderKey(1.0f) < TotalOrderKey(2.0f));
    CHECK(TotalOrderKey(inf) < TotalOrderKey(nan));
    CHECK(TotalOrderKey(-nan) < TotalOrderKey(-inf));
  }

  TEST_CASE("ranking: ties at the boundary may swap, real differences may not") {
    // Reference distances of 6 ids; top-3 is {0, 1, 2}; id 3 ties id 2.
    const std::vector<float> dist = {1.0f, 2.0f, 3.0f, 3.0f, 5.0f, 6.0f};
    auto ref_distance = [&](uint32_t id) { return dist[id]; };
    const uint32_t ref_ids[] = {0, 1, 2};
    const float ref_d[] = {1.0f, 2.0f, 3.0f};
    const RankedList ref{ref_ids, ref_d, 3};

    const uint32_t same_ids[] = {0, 1, 2};
    CHECK_FALSE(CompareRanking("top", ref, {same_ids, ref_d, 3}, dist.size(), ref_distance,
                               kDefaultTolerance));
    const uint32_t tie_ids[] = {0, 1, 3};
    CHECK_FALSE(CompareRanking("top", ref, {tie_ids, ref_d, 3}, dist.size(), ref_distance,
                               kDefaultTolerance));
    const uint32_t wrong_ids[] = {0, 1, 4};
    const float wrong_d[] = {1.0f, 2.0f, 5.0f};
    const auto m = CompareRanking("top", ref, {wrong_ids, wrong_d, 3}, dist.size(), ref_distance,
                                  kDefaultTolerance);
    REQUIRE(m.has_value());
    CHECK(m->field == "top.ids");
    // A right id with a wrong reported distance is caught too.
    const float bad_d[] = {1.0f, 2.0f, 3.1f};
    const auto d = CompareRanking("top", ref, {same_ids, bad_d, 3}, dist.size(), ref_distance,
                                  kDefaultTolerance);
    REQUIRE(d.has_value());
    CHECK(d->index == 2);
    const uint32_t short_ids[] = {0, 1};
    CHECK(CompareRanking("top", ref, {short_ids, ref_d, 2}, dist.size(), ref_distance,
                         kDefaultTolerance)
              .has_value());
    // Garbage ids are a mismatch, never read: one past the rows, one repeated.
    const uint32_t out_of_range[] = {0, 1, 6};
    const auto r = CompareRanking(
        "top", ref, {out_of_range, ref_d, 3}, dist.size(), [&](uint32_t id) { return dist.at(id); },
        kDefaultTolerance);
    REQUIRE(r.has_value());
    CHECK(r->field == "top.ids");
    CHECK(r->index == 2);
    CHECK(r->got == "id 6");
    const uint32_t repeated[] = {0, 1, 1};
    const auto twice = CompareRanking("top", ref, {repeated, ref_d, 3}, dist.size(), ref_distance,
                                      kDefaultTolerance);
    REQUIRE(twice.has_value());
    CHECK(twice->got == "id 1 again");
  }

}  // TEST_SUITE

}  // namespace lar
