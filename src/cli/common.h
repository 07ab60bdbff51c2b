// What every subcommand shares: exit codes, usage errors, and resolving
// target ids, ISA names and output paths with messages that name the fix.
#ifndef LAR_CLI_COMMON_H_
#define LAR_CLI_COMMON_H_

#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "base/files.h"
#include "harness/exit_codes.h"
#include "harness/isa.h"
#include "harness/target.h"

namespace lar {

// A mistake in the command line or an input: one line naming the fix.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

const Target& ResolveTarget(const std::string& id);
std::vector<const Target*> ResolveTargets(const std::vector<std::string>& ids, bool all);
// nullopt when `name` is empty (all supported ISAs / the best one).
std::optional<Isa> ResolveIsa(const std::string& name);
// Throws UsageError unless `path` can be created or appended to.
void CheckWritable(const std::string& path, const std::string& flag);

// Throws UsageError when the CPU is emulated (EmulationReason): `command`
// ("bench") times kernels, and timings under emulation say nothing about a
// real CPU.
void RefuseUnderEmulation(const std::string& command);

// Whether stderr is a terminal (progress is printed only then).
bool StderrIsTerminal();

// CLI11's PositiveNumber answers "abc" with its whole double range; this
// one names what was expected.
inline const CLI::Validator kPositiveNumber(
    [](std::string& text) -> std::string {
      size_t used = 0;
      double v = 0.0;
      try {
        v = std::stod(text, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != text.size() || !std::isfinite(v) || v <= 0.0) {
        return "expected a positive number, got '" + text + "'";
      }
      return {};
    },
    "POSITIVE");

}  // namespace lar

#endif  // LAR_CLI_COMMON_H_
