// pq-l2 against fixtures computed by Lance's own PQ code (tests/data/golden,
// see its README): the reference must reproduce every table entry and every
// distance bit for bit; the shipped kernel must match within tolerance on
// every ISA.
#include <doctest/doctest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/compare.h"
#include "harness/isa.h"
#include "lar_config.h"
#include "targets/pq-l2/pq_l2.h"

namespace lar::pq_l2 {
namespace {

namespace fs = std::filesystem;

template <typename T>
std::vector<T> ReadRaw(const fs::path& path, size_t count) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open ", path.string());
  std::vector<T> out(count);
  in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(count * sizeof(T)));
  REQUIRE_MESSAGE(in.gcount() == static_cast<std::streamsize>(count * sizeof(T)), path.string(),
                  " is shorter than ", count, " values");
  in.get();
  REQUIRE_MESSAGE(in.eof(), path.string(), " is longer than ", count, " values");
  return out;
}

struct GoldenCase {
  std::string name;
  Shape shape;
  size_t n = 0;
  std::vector<float> codebook, query, table, distances;
  std::vector<uint8_t> codes;  // transposed to [M][N]
};

GoldenCase Load(const fs::path& dir) {
  GoldenCase g;
  g.name = dir.filename().string();
  std::ifstream meta_in(dir / "meta.json");
  const nlohmann::json meta = nlohmann::json::parse(meta_in);
  g.shape = {meta.at("dim").get<size_t>(), meta.at("num_sub_vectors").get<size_t>()};
  REQUIRE(meta.at("num_centroids").get<size_t>() == kNumCentroids);
  g.n = meta.at("num_vectors").get<size_t>();
  const size_t m = g.shape.num_sub_vectors;
  g.codebook = ReadRaw<float>(dir / "codebook.f32", m * kNumCentroids * g.shape.sub_dim());
  g.query = ReadRaw<float>(dir / "query.f32", g.shape.dim);
  g.table = ReadRaw<float>(dir / "table.f32", m * kNumCentroids);
  g.distances = ReadRaw<float>(dir / "distances.f32", g.n);
  const std::vector<uint8_t> aos = ReadRaw<uint8_t>(dir / "codes_aos.u8", g.n * m);
  g.codes.resize(aos.size());
  for (size_t j = 0; j < g.n; ++j) {
    for (size_t s = 0; s < m; ++s) g.codes[s * g.n + j] = aos[j * m + s];
  }
  return g;
}

std::vector<fs::path> CaseDirs() {
  // meson test sets $LAR_GOLDEN_DIR; a direct run uses the source tree.
  const char* env = std::getenv("LAR_GOLDEN_DIR");
  const std::string root = env != nullptr ? env : LAR_SOURCE_DIR "/tests/data/golden";
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(fs::path(root) / "pq-l2")) {
    if (e.is_directory()) dirs.push_back(e.path());
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

// First element whose bits differ, as a message naming case, index,
// expected and got.
std::string FirstBitDifference(const std::string& what, const std::vector<float>& want,
                               const std::vector<float>& got) {
  for (size_t i = 0; i < want.size(); ++i) {
    if (std::memcmp(&want[i], &got[i], sizeof(float)) != 0) {
      return what + "[" + std::to_string(i) + "]: expected " + FormatFloat(want[i]) + ", got " +
             FormatFloat(got[i]);
    }
  }
  return "";
}

}  // namespace

TEST_SUITE("golden") {
  TEST_CASE("the fixtures are all present") { CHECK(CaseDirs().size() == 15); }

  TEST_CASE("the reference reproduces Lance's tables and distances bit for bit") {
    for (const fs::path& dir : CaseDirs()) {
      const GoldenCase g = Load(dir);
      INFO("case ", g.name);
      std::vector<float> table(g.table.size()), dist(g.n);
      reference::DistanceTable(g.shape, g.codebook.data(), g.query.data(), table.data());
      reference::Distances(g.shape, table.data(), g.codes.data(), g.n, dist.data());
      CHECK_MESSAGE(FirstBitDifference("table", g.table, table).empty(),
                    FirstBitDifference("table", g.table, table));
      CHECK_MESSAGE(FirstBitDifference("distances", g.distances, dist).empty(),
                    FirstBitDifference("distances", g.distances, dist));
    }
  }

  TEST_CASE("the shipped kernel matches Lance within tolerance on every ISA") {
    for (const fs::path& dir : CaseDirs()) {
      const GoldenCase g = Load(dir);
      for (const Isa& isa : SupportedIsas()) {
        INFO("case ", g.name, " ISA ", isa.name);
        ScopedIsa scoped(isa);
        const auto prepared = Prepare(g.shape, g.codebook.data(), g.codes.data(), g.n);
        std::vector<float> table(g.table.size()), dist(g.n);
        DistanceTable(*prepared, g.query.data(), table.data());
        const auto t =
            CompareFloats("table", g.table.data(), table.data(), table.size(), kDefaultTolerance);
        CHECK_MESSAGE(!t, "table[", t ? t->index : 0, "]: expected ", t ? t->expected : "",
                      ", got ", t ? t->got : "");
        // The scan from Lance's own table, then from the kernel's.
        Distances(*prepared, g.table.data(), dist.data());
        const auto d =
            CompareFloats("distances", g.distances.data(), dist.data(), g.n, kDefaultTolerance);
        CHECK_MESSAGE(!d, "distances[", d ? d->index : 0, "]: expected ", d ? d->expected : "",
                      ", got ", d ? d->got : "");
        Distances(*prepared, table.data(), dist.data());
        const auto e =
            CompareFloats("distances", g.distances.data(), dist.data(), g.n, kDefaultTolerance);
        CHECK_MESSAGE(!e, "end-to-end distances[", e ? e->index : 0, "]: expected ",
                      e ? e->expected : "", ", got ", e ? e->got : "");
      }
    }
  }

}  // TEST_SUITE

}  // namespace lar::pq_l2
