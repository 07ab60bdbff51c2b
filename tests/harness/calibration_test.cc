// The noise floor's storage: kept per ISA for the kernel A/A, and said
// where it came from.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include "harness/calibration.h"

namespace lar {

TEST_SUITE("unit") {
  TEST_CASE("a baseline at one ISA does not move another ISA's noise floor") {
    std::string dir = (std::filesystem::temp_directory_path() / "lar-cal-XXXXXX").string();
    REQUIRE(mkdtemp(dir.data()) != nullptr);
    const std::string results = dir + "/results.tsv";
    StoreCalibration(results, "fp", "pq-l2", std::nullopt,
                     MakeAaResult(1.0, {0.9989, 1.0011}, 6, "AVX3_DL", "the AVX3_DL baseline r1"));
    StoreCalibration(results, "fp", "pq-l2", std::nullopt,
                     MakeAaResult(1.0, {0.9995, 1.0005}, 6, "AVX2", "the AVX2 baseline r2"));
    const std::optional<Calibration> dl = LoadCalibration(results, "fp", "pq-l2", "AVX3_DL");
    REQUIRE(dl.has_value());
    CHECK(dl->noise_floor_pct() == doctest::Approx(0.11).epsilon(0.01));
    CHECK(dl->Describe().find("the AVX3_DL baseline r1") != std::string::npos);
    const std::optional<Calibration> avx2 = LoadCalibration(results, "fp", "pq-l2", "AVX2");
    REQUIRE(avx2.has_value());
    CHECK(avx2->noise_floor_pct() == doctest::Approx(0.05).epsilon(0.01));
    // The reference A/A from lar calibrate joins; the larger floor decides.
    StoreCalibration(results, "fp", "pq-l2",
                     MakeAaResult(1.0, {0.997, 1.003}, 6, "AVX3_DL", "lar calibrate"),
                     std::nullopt);
    const std::optional<Calibration> both = LoadCalibration(results, "fp", "pq-l2", "AVX2");
    REQUIRE(both.has_value());
    CHECK(both->noise_floor_pct() == doctest::Approx(0.3).epsilon(0.01));
    CHECK(both->Describe().rfind("reference A/A 0.30% from lar calibrate", 0) == 0);
    // Another target borrows the widest floor and says so.
    const std::optional<Calibration> other = LoadCalibration(results, "fp", "pq-dot", "AVX2");
    REQUIRE(other.has_value());
    CHECK(other->Describe().find("borrowed from pq-l2") != std::string::npos);
    std::filesystem::remove_all(dir);
  }

}  // TEST_SUITE

}  // namespace lar
