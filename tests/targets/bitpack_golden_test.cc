// bitpack against pages packed by Lance's own code (tests/data/golden/bitpack,
// see its README): the reference and the shipped kernel, on every ISA, must
// decode every packed.bin into its values.bin bit for bit and consume the
// whole buffer; a failure names the case and the first differing value.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/isa.h"
#include "lar_config.h"
#include "targets/bitpack/bitpack.h"

namespace lar::bitpack {
namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open ", path.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct GoldenCase {
  std::string name;
  int bits = 0;
  size_t n = 0;
  std::vector<int> widths;
  std::vector<uint8_t> packed, values;  // raw little-endian T words
};

GoldenCase Load(const fs::path& dir) {
  GoldenCase g;
  g.name = dir.filename().string();
  std::ifstream meta_in(dir / "meta.json");
  const nlohmann::json meta = nlohmann::json::parse(meta_in);
  g.bits = meta.at("bits_T").get<int>();
  g.n = meta.at("n").get<size_t>();
  g.widths = meta.at("chunk_widths").get<std::vector<int>>();
  g.packed = ReadBytes(dir / "packed.bin");
  g.values = ReadBytes(dir / "values.bin");
  REQUIRE_MESSAGE(g.packed.size() == meta.at("packed_bytes").get<size_t>(), g.name);
  REQUIRE_MESSAGE(g.values.size() == g.n * static_cast<size_t>(g.bits) / 8, g.name);
  return g;
}

std::vector<fs::path> CaseDirs() {
  // meson test sets $LAR_GOLDEN_DIR; a direct run uses the source tree.
  const char* env = std::getenv("LAR_GOLDEN_DIR");
  const std::string root = env != nullptr ? env : LAR_SOURCE_DIR "/tests/data/golden";
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(fs::path(root) / "bitpack")) {
    if (e.is_directory()) dirs.push_back(e.path());
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

// Decodes the case with `unpack` (T words, aligned copies of the files) and
// returns "" or a message naming the case, the value index and both values.
template <typename T, class Unpack>
std::string Decode(const GoldenCase& g, Unpack unpack) {
  std::vector<T> packed(g.packed.size() / sizeof(T)), want(g.n), got(g.n + 1, T{0x5A});
  std::memcpy(packed.data(), g.packed.data(), g.packed.size());
  std::memcpy(want.data(), g.values.data(), g.values.size());
  const size_t used = unpack(packed.data(), g.n, got.data());
  if (used != packed.size()) {
    return g.name + ": consumed " + std::to_string(used) + " of " + std::to_string(packed.size()) +
           " words";
  }
  for (size_t i = 0; i < g.n; ++i) {
    if (want[i] != got[i]) {
      return g.name + ": value[" + std::to_string(i) + "] (chunk " + std::to_string(i / 1024) +
             ", W " + std::to_string(g.widths[i / 1024]) + ") expected " + std::to_string(want[i]) +
             ", got " + std::to_string(got[i]);
    }
  }
  if (got[g.n] != T{0x5A}) return g.name + ": wrote past value[" + std::to_string(g.n - 1) + "]";
  return "";
}

template <class Run>
std::string WithWord(const GoldenCase& g, Run run) {
  switch (g.bits) {
    case 8:
      return run(uint8_t{});
    case 16:
      return run(uint16_t{});
    case 32:
      return run(uint32_t{});
    default:
      return run(uint64_t{});
  }
}

// The chunk headers walked as a decoder reads them must be the recorded
// widths, and account for every byte.
std::string CheckFraming(const GoldenCase& g) {
  const size_t word = static_cast<size_t>(g.bits) / 8;
  size_t at = 0;
  for (size_t c = 0; c < g.widths.size(); ++c) {
    if (at + word > g.packed.size()) return g.name + ": chunk " + std::to_string(c) + " missing";
    const int w = g.packed[at];  // little-endian: W < 256 is its low byte
    if (w != g.widths[c]) {
      return g.name + ": chunk " + std::to_string(c) + " header W " + std::to_string(w) +
             ", meta.json says " + std::to_string(g.widths[c]);
    }
    at += word + 128 * static_cast<size_t>(w);
  }
  return at == g.packed.size() ? "" : g.name + ": bytes left over after the last chunk";
}

}  // namespace

TEST_SUITE("golden") {
  TEST_CASE("bitpack: the fixtures are all present and framed as their meta.json says") {
    const std::vector<fs::path> dirs = CaseDirs();
    CHECK(dirs.size() == 36);
    for (const fs::path& dir : dirs) {
      const GoldenCase g = Load(dir);
      const std::string m = CheckFraming(g);
      CHECK_MESSAGE(m.empty(), m);
    }
  }

  TEST_CASE("bitpack: the reference decodes Lance's pages bit for bit") {
    for (const fs::path& dir : CaseDirs()) {
      const GoldenCase g = Load(dir);
      const std::string m = WithWord(g, [&](auto word) {
        using T = decltype(word);
        return Decode<T>(g, ReferenceUnpack<T>());
      });
      CHECK_MESSAGE(m.empty(), m);
    }
  }

  TEST_CASE("bitpack: the shipped kernel decodes Lance's pages bit for bit on every ISA") {
    const KernelApi api = ShippedKernel();
    for (const fs::path& dir : CaseDirs()) {
      const GoldenCase g = Load(dir);
      for (const Isa& isa : SupportedIsas()) {
        ScopedIsa scoped(isa);
        REQUIRE(api.kernel_target() == isa.bits);  // the forced ISA really runs
        const std::string m = WithWord(g, [&](auto word) {
          using T = decltype(word);
          return Decode<T>(g, UnpackOf<T>(api));
        });
        CHECK_MESSAGE(m.empty(), "[", isa.name, "] ", m);
      }
    }
  }

}  // TEST_SUITE

}  // namespace lar::bitpack
