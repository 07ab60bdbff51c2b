// lar new: scaffolds targets/<id>/ and docs/targets/<id>.md from
// templates/target/, wires the target into the build, prints the checklist.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "harness/target.h"

namespace lar {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Upper(std::string s) {
  for (char& c : s)
    c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string Substitute(std::string text,
                       const std::vector<std::pair<std::string, std::string>>& vars) {
  for (const auto& [key, value] : vars) {
    for (size_t pos = text.find(key); pos != std::string::npos;
         pos = text.find(key, pos + value.size())) {
      text.replace(pos, key.size(), value);
    }
  }
  return text;
}

// Adds subdir('<id>') to targets/meson.build, keeping the list sorted.
void Wire(const fs::path& meson, const std::string& id) {
  std::vector<std::string> lines;
  std::istringstream in(Read(meson));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  lines.push_back("subdir('" + id + "')");
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  WriteFileAtomically(meson.string(), out);
}

}  // namespace

CLI::App* AddNew(CLI::App& app, NewOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "new",
      "Scaffold a target: targets/<id>/ (contract header, reference, inputs, a Highway "
      "kernels.cc, registration, program.md) and docs/targets/<id>.md, wired into the "
      "build, with a working example kernel to replace");
  cmd->add_option("id", o.id, "Target id: lowercase letters, digits and dashes (e.g. pq-dot)")
      ->required();
  cmd->add_option("--family", o.family, "vector, encoding or query")
      ->check(CLI::IsMember(std::vector<std::string>(std::begin(kFamilies), std::end(kFamilies))));
  cmd->add_option("--root", o.root, "The lar checkout to add it to (default: .)");
  return cmd;
}

namespace {

// Stops at parse time what cannot become a target here: a bad id, a
// directory that is no lar checkout, an id that exists.
void CheckNewTarget(const NewOptions& o, const fs::path& root) {
  static const std::regex kValid("[a-z][a-z0-9]*(-[a-z0-9]+)*");
  if (!std::regex_match(o.id, kValid) || o.id.size() > 40) {
    throw UsageError("invalid target id '" + o.id +
                     "': use lowercase letters and digits in words joined by single dashes, "
                     "starting with a letter (e.g. pq-dot)");
  }
  if (!fs::exists(root / "targets" / "meson.build") ||
      !fs::is_directory(root / "templates" / "target")) {
    throw UsageError(root.string() +
                     " is not a lar checkout (no targets/meson.build or "
                     "templates/target/); run from the repository root or pass --root");
  }
  if (fs::exists(root / "targets" / o.id) ||
      fs::exists(root / "docs" / "targets" / (o.id + ".md")) || Registry::Find(o.id) != nullptr) {
    throw UsageError("target '" + o.id + "' already exists (targets/" + o.id +
                     "/); choose another id");
  }
}

// Writes every template, substituted, to a staging directory first (a
// failure leaves the checkout as it was), then moves it into place.
void Plant(const fs::path& root, const NewOptions& o, const std::string& ns,
           const std::string& header) {
  const fs::path templates = root / "templates" / "target";
  const fs::path dir = root / "targets" / o.id;
  const fs::path capsule = root / "docs" / "targets" / (o.id + ".md");
  const std::vector<std::pair<std::string, std::string>> vars = {
      {"@ID@", o.id},
      {"@NS@", ns},
      {"@HEADER@", header},
      {"@FAMILY@", o.family},
      {"@GUARD@", "LAR_TARGETS_" + Upper(o.id) + "_" + Upper(ns) + "_H_"},
      {"@INPUTS_GUARD@", "LAR_TARGETS_" + Upper(o.id) + "_INPUTS_H_"},
      {"@STATE_GUARD@", "LAR_TARGETS_" + Upper(o.id) + "_KERNELS_STATE_"},
  };
  const std::vector<std::pair<std::string, fs::path>> files = {
      {"header.h.in", dir / header},
      {"reference.cc.in", dir / "reference.cc"},
      {"inputs.h.in", dir / "inputs.h"},
      {"inputs.cc.in", dir / "inputs.cc"},
      {"kernels.cc.in", dir / "kernels.cc"},
      {"target.cc.in", dir / "target.cc"},
      {"meson.build.in", dir / "meson.build"},
      {"program.md.in", dir / "program.md"},
      {"capsule.md.in", capsule}};
  const fs::path staging = root / "targets" / ("." + o.id + ".new");
  fs::remove_all(staging);
  fs::create_directories(staging);
  for (const auto& [name, to] : files) {
    const fs::path from = templates / name;
    if (!fs::exists(from)) {
      fs::remove_all(staging);
      throw UsageError("template " + from.string() + " is missing; restore templates/target/");
    }
    std::ofstream out(staging / to.filename());
    out << Substitute(Read(from), vars);
  }
  fs::create_directories(capsule.parent_path());
  fs::rename(staging / capsule.filename(), capsule);
  fs::rename(staging, dir);
}

}  // namespace

int RunNew(const NewOptions& o) {
  const fs::path root = fs::absolute(o.root);
  CheckNewTarget(o, root);
  std::string ns = o.id;
  std::replace(ns.begin(), ns.end(), '-', '_');
  const std::string header = ns + ".h";
  Plant(root, o, ns, header);
  Wire(root / "targets" / "meson.build", o.id);

  std::printf(
      "created targets/%s/ and docs/targets/%s.md, wired into targets/meson.build.\n"
      "It builds and verifies as it is: its example kernel is y = a*x + b.\n"
      "Checklist (docs/adding-a-target.md has the details):\n"
      "  0. trace Lance's call site of the kernel; note repo, commit, file, line\n"
      "  0.5 estimate the kernel's share of a real query; write it in the capsule\n"
      "  1. %s: the kernel contract (shapes, input assumptions, KernelApi)\n"
      "  2. reference.cc: scalar, in Lance's arithmetic order; golden fixtures from\n"
      "     Lance's own code if you can produce them (tests/data/golden/)\n"
      "  3. inputs.cc: the shapes and distributions users run; a battery with\n"
      "     adversarial data, NaN/inf where Lance defines them, edge sizes\n"
      "  4. kernels.cc: a Highway kernel that beats the reference on every ISA\n"
      "  5. target.cc: unit, Lance source, summary, the check of a timed output\n"
      "  6. program.md and docs/targets/%s.md: every TODO(%s)\n"
      "  7. ninja -C build && build/lar verify %s && build/lar bench %s\n"
      "  8. meson test -C build (targets_test runs the battery on every ISA)\n",
      o.id.c_str(), o.id.c_str(), header.c_str(), o.id.c_str(), o.id.c_str(), o.id.c_str(),
      o.id.c_str());
  return 0;
}

}  // namespace lar
