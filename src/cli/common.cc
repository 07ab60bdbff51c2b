// Resolution of ids, ISAs and paths into usage errors that name the fix.
#include "cli/common.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "harness/sysinfo.h"

namespace lar {
namespace {

std::string KnownIds() {
  std::string ids;
  for (const Target& t : Registry::All()) {
    if (t.test_only) continue;
    ids += (ids.empty() ? "" : ", ") + t.id;
  }
  return ids;
}

}  // namespace

const Target& ResolveTarget(const std::string& id) {
  const Target* t = Registry::Find(id);
  if (t == nullptr) {
    throw UsageError("unknown target '" + id + "'; known targets: " + KnownIds() +
                     " (see 'lar list')");
  }
  return *t;
}

std::vector<const Target*> ResolveTargets(const std::vector<std::string>& ids, bool all) {
  if (all && !ids.empty()) {
    throw UsageError("give target ids or --all, not both");
  }
  std::vector<const Target*> out;
  if (all) {
    for (const Target& t : Registry::All()) {
      if (!t.test_only) out.push_back(&t);
    }
    return out;
  }
  if (ids.empty()) {
    throw UsageError("name at least one target or pass --all (targets: " + KnownIds() + ")");
  }
  for (const std::string& id : ids) out.push_back(&ResolveTarget(id));
  return out;
}

std::optional<Isa> ResolveIsa(const std::string& name) {
  if (name.empty()) return std::nullopt;
  const std::optional<Isa> isa = FindIsa(name);
  if (!isa) {
    throw UsageError("unknown ISA '" + name +
                     "'; compiled into this lar: " + JoinIsaNames(CompiledIsas()));
  }
  for (const Isa& s : SupportedIsas()) {
    if (s.bits == isa->bits) return isa;
  }
  throw UsageError(
      "ISA " + isa->name +
      " is compiled in but this CPU cannot run it; pick one of: " + JoinIsaNames(SupportedIsas()));
}

void CheckWritable(const std::string& path, const std::string& flag) {
  namespace fs = std::filesystem;
  const fs::path p(path);
  std::error_code ec;
  if (fs::is_directory(p, ec)) {
    throw UsageError(flag + " " + path + " is a directory; give a file path such as " +
                     (p / "out.json").string());
  }
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec)) {
    throw UsageError(flag + " " + path + ": directory '" + dir.string() +
                     "' does not exist; create it or choose another path");
  }
  if (fs::exists(p, ec) ? access(path.c_str(), W_OK) != 0 : access(dir.c_str(), W_OK) != 0) {
    throw UsageError(flag + " " + path + " is not writable (" + strerror(errno) +
                     "); choose a writable path");
  }
}

void RefuseUnderEmulation(const std::string& command) {
  const std::string reason = EmulationReason();
  if (reason.empty()) return;
  throw UsageError(command + " times kernels, and this CPU is emulated (" + reason +
                   "): timings would be meaningless; run 'lar verify' here and 'lar " + command +
                   "' on a real CPU");
}

bool StderrIsTerminal() { return isatty(STDERR_FILENO) != 0; }

}  // namespace lar
