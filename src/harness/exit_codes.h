// lar's exit codes (README.md and HARNESS.md list them), shared by the gate and the commands.
#ifndef LAR_HARNESS_EXIT_CODES_H_
#define LAR_HARNESS_EXIT_CODES_H_

namespace lar {

// Usage errors use 64 (sysexits' EX_USAGE) so they never collide with a
// verdict.
enum ExitCode : int {
  kExitOk = 0,           // pass, keep, baseline
  kExitDiscard = 1,      // trial: correct but not kept
  kExitCorrectness = 2,  // a kernel output differs from the reference
  kExitBudget = 3,       // wall-clock budget exceeded (timeout)
  kExitCrash = 4,        // the kernel crashed (signal) or did not build
  kExitInvalid = 5,      // trial: edit outside the target's kernels.cc
  kExitUsage = 64,       // bad command line or input file
};

}  // namespace lar

#endif  // LAR_HARNESS_EXIT_CODES_H_
