// Runs an external program (git, ninja) and captures its output.
#ifndef LAR_HARNESS_SUBPROCESS_H_
#define LAR_HARNESS_SUBPROCESS_H_

#include <string>
#include <vector>

namespace lar {

struct CommandResult {
  int exit_code = -1;  // -1: could not start, or killed by a signal
  std::string output;  // stdout, plus stderr when merged
};

// argv[0] is looked up in PATH. stderr is merged into the output when
// `merge_stderr`, else discarded.
// `cwd`: working directory of the command (empty: ours).
CommandResult RunCommand(const std::vector<std::string>& argv, bool merge_stderr,
                         const std::string& cwd = "");

}  // namespace lar

#endif  // LAR_HARNESS_SUBPROCESS_H_
