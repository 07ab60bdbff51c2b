// What the trial needs from git: where the checkout is, which commit and
// whether it is dirty, and which files changed since a commit (the edit-scope
// rule of the keep gate). Runs the git command-line tool.
#ifndef LAR_HARNESS_GIT_H_
#define LAR_HARNESS_GIT_H_

#include <optional>
#include <string>
#include <vector>

namespace lar {

struct GitState {
  std::string top_level;  // absolute path of the checkout
  std::string commit;     // full hash of HEAD ("" before the first commit)
  std::string short_commit;
  bool dirty = false;  // tracked changes or untracked, non-ignored files
};

// nullopt when `dir` is not inside a git checkout (or git is missing).
std::optional<GitState> ReadGitState(const std::string& dir);

// Paths (relative to the top level) that differ between `commit` and the
// working tree: tracked ones (committed or not) and untracked, non-ignored
// ones, each sorted.
struct WorkingChanges {
  std::vector<std::string> tracked;
  std::vector<std::string> untracked;
};

// nullopt if `commit` is unknown to this checkout.
std::optional<WorkingChanges> ChangedSince(const std::string& top_level, const std::string& commit);

}  // namespace lar

#endif  // LAR_HARNESS_GIT_H_
