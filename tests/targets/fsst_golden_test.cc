// fsst against strings compressed by Lance's own encoder
// (tests/data/golden/fsst, see its README): the reference and the shipped
// kernel, on every ISA, must rebuild input.bin and input_offsets.bin bit for
// bit; the kernel gets exactly the decoded size as its capacity, followed by
// guard bytes. A failure names the case and the first differing offset.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/isa.h"
#include "lar_config.h"
#include "targets/fsst/fsst.h"

namespace lar::fsst {
namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open ", path.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct GoldenCase {
  std::string name;
  OffsetWidth width = OffsetWidth::k32;
  size_t n = 0;
  std::vector<uint8_t> table, codes, offsets, input, input_offsets;
  Compressed In() const {
    return {table.data(), codes.data(), codes.size(), offsets.data(), width, n};
  }
};

GoldenCase Load(const fs::path& dir) {
  GoldenCase g;
  g.name = dir.filename().string();
  std::ifstream meta_in(dir / "meta.json");
  const nlohmann::json meta = nlohmann::json::parse(meta_in);
  g.width =
      meta.at("offsets_type").get<std::string>() == "i64" ? OffsetWidth::k64 : OffsetWidth::k32;
  g.n = meta.at("count").get<size_t>();
  g.table = ReadBytes(dir / "symbol_table.bin");
  g.codes = ReadBytes(dir / "compressed.bin");
  g.offsets = ReadBytes(dir / "compressed_offsets.bin");
  g.input = ReadBytes(dir / "input.bin");
  g.input_offsets = ReadBytes(dir / "input_offsets.bin");
  const size_t ob = g.width == OffsetWidth::k32 ? 4 : 8;
  REQUIRE_MESSAGE(g.table.size() == kSymbolTableBytes, g.name);
  REQUIRE_MESSAGE(g.offsets.size() == (g.n + 1) * ob, g.name);
  REQUIRE_MESSAGE(g.input_offsets.size() == (g.n + 1) * ob, g.name);
  return g;
}

std::vector<fs::path> CaseDirs() {
  // meson test sets $LAR_GOLDEN_DIR; a direct run uses the source tree.
  const char* env = std::getenv("LAR_GOLDEN_DIR");
  const std::string root = env != nullptr ? env : LAR_SOURCE_DIR "/tests/data/golden";
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(fs::path(root) / "fsst")) {
    if (e.is_directory()) dirs.push_back(e.path());
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

// "" or the case, the field and the first differing byte offset.
std::string Diff(const GoldenCase& g, size_t total, const uint8_t* bytes, const uint8_t* offsets) {
  if (total != g.input.size()) {
    return g.name + ": decoded " + std::to_string(total) + " bytes, Lance " +
           std::to_string(g.input.size());
  }
  for (size_t i = 0; i < g.input_offsets.size(); ++i) {
    if (offsets[i] != g.input_offsets[i]) {
      return g.name + ": offsets differ at byte " + std::to_string(i) + " (offset " +
             std::to_string(i / (g.width == OffsetWidth::k32 ? 4 : 8)) + ")";
    }
  }
  for (size_t i = 0; i < total; ++i) {
    if (bytes[i] != g.input[i]) {
      return g.name + ": byte " + std::to_string(i) + " expected " + std::to_string(g.input[i]) +
             ", got " + std::to_string(bytes[i]);
    }
  }
  return "";
}

}  // namespace

TEST_SUITE("golden") {
  TEST_CASE("fsst: the fixtures are all present") { CHECK(CaseDirs().size() == 12); }

  TEST_CASE("fsst: the reference rebuilds Lance's strings bit for bit") {
    for (const fs::path& dir : CaseDirs()) {
      const GoldenCase g = Load(dir);
      std::vector<uint8_t> out(reference::RequiredOutput(g.In()) + 8), off(g.input_offsets.size());
      const size_t total = reference::Decompress(g.In(), out.data(), off.data());
      const std::string m = Diff(g, total, out.data(), off.data());
      CHECK_MESSAGE(m.empty(), m);
    }
  }

  TEST_CASE("fsst: the shipped kernel rebuilds Lance's strings bit for bit on every ISA") {
    constexpr size_t kGuard = 64;
    for (const fs::path& dir : CaseDirs()) {
      const GoldenCase g = Load(dir);
      for (const Isa& isa : SupportedIsas()) {
        ScopedIsa scoped(isa);
        REQUIRE(KernelTarget() == isa.bits);  // the forced ISA really runs
        std::vector<uint8_t> out(g.input.size() + kGuard, 0xA5),
            off(g.input_offsets.size() + kGuard, 0xA5);
        const size_t total = Decompress(g.In(), out.data(), g.input.size(), off.data());
        std::string m = Diff(g, total, out.data(), off.data());
        const bool guards =
            std::all_of(out.begin() + static_cast<std::ptrdiff_t>(g.input.size()), out.end(),
                        [](uint8_t b) { return b == 0xA5; }) &&
            std::all_of(off.begin() + static_cast<std::ptrdiff_t>(g.input_offsets.size()),
                        off.end(), [](uint8_t b) { return b == 0xA5; });
        if (m.empty() && !guards) m = g.name + ": wrote past the decoded bytes or offsets";
        CHECK_MESSAGE(m.empty(), "[", isa.name, "] ", m);
      }
    }
  }

}  // TEST_SUITE

}  // namespace lar::fsst
