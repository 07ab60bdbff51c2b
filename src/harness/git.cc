// git queries through the git binary (no library dependency).
#include "harness/git.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "harness/subprocess.h"

namespace lar {
namespace {

// Runs git with `args` in `dir`; stdout on success (exit 0), else nullopt.
std::optional<std::string> Git(const std::string& dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"git", "-C", dir};
  argv.insert(argv.end(), args.begin(), args.end());
  CommandResult r = RunCommand(argv, false);
  if (r.exit_code != 0) return std::nullopt;
  return r.output;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

}  // namespace

std::optional<GitState> ReadGitState(const std::string& dir) {
  const auto top = Git(dir, {"rev-parse", "--show-toplevel"});
  if (!top) return std::nullopt;
  GitState s;
  s.top_level = Trim(*top);
  if (const auto head = Git(s.top_level, {"rev-parse", "HEAD"})) {
    s.commit = Trim(*head);
    s.short_commit = s.commit.substr(0, 7);
  }
  if (const auto status = Git(s.top_level, {"status", "--porcelain"})) {
    s.dirty = !Trim(*status).empty();
  }
  return s;
}

std::optional<WorkingChanges> ChangedSince(const std::string& top_level,
                                           const std::string& commit) {
  if (!Git(top_level, {"cat-file", "-e", commit + "^{commit}"})) return std::nullopt;
  const auto diff = Git(top_level, {"diff", "--name-only", commit, "--"});
  const auto untracked = Git(top_level, {"ls-files", "--others", "--exclude-standard"});
  if (!diff || !untracked) return std::nullopt;
  WorkingChanges c{Lines(*diff), Lines(*untracked)};
  std::sort(c.tracked.begin(), c.tracked.end());
  std::sort(c.untracked.begin(), c.untracked.end());
  return c;
}

}  // namespace lar
