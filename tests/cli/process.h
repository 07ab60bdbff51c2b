// Runs the real lar binaries for end-to-end tests: argv, extra environment,
// working directory; captures stdout, stderr and the exit status.
#ifndef LAR_TESTS_CLI_PROCESS_H_
#define LAR_TESTS_CLI_PROCESS_H_

#include <string>
#include <utility>
#include <vector>

namespace lar::test {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  std::string out;
  std::string err;
};

ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::vector<std::pair<std::string, std::string>>& env = {},
                         const std::string& cwd = "");

// $LAR_BIN / $LAR_ZOO_BIN (set by meson test), else this build tree's.
std::string LarBin();
std::string ZooBin();

// A fresh empty directory under the system temp dir.
std::string MakeTempDir();

// Lines of `text` that start with `prefix`.
std::vector<std::string> LinesStartingWith(const std::string& text, const std::string& prefix);

}  // namespace lar::test

#endif  // LAR_TESTS_CLI_PROCESS_H_
