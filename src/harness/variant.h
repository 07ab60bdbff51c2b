// Kernel variants: another version of a target's kernels.cc (the best kept
// trial's, recorded in its run record) compiled into a shared object with
// the exact flags of this build and loaded beside the candidate, so a trial
// times the best and the candidate in the same loop and the keep decision
// does not depend on how the machine behaved when the best was measured.
#ifndef LAR_HARNESS_VARIANT_H_
#define LAR_HARNESS_VARIANT_H_

#include <optional>
#include <string>

#include "harness/target.h"

namespace lar {

// The kernels.cc this binary was built from, read from its source tree;
// nullopt if the tree is not there (an installed lar).
std::optional<std::string> ReadKernelSource(const std::string& target_id);

// Short content hash of a kernel source (what the record stores).
std::string KernelSourceHash(const std::string& source);

struct KernelVariant {
  Target target;  // the target around the variant's kernels
  std::string so_path;
  bool built_now = false;  // false: loaded from the cache
};

// Builds (or reuses from `state_dir`/kernels/) and loads a variant of
// `target` whose kernels.cc is `source`. `instance` > 0 loads a separate
// copy of the object (two instances of the same code for an A/A run). nullopt
// with `*error` set when this binary has no build tree
// (compile_commands.json), the compiler fails, or the loaded object does not
// match the target's kernel interface.
//
// A trial times the candidate as a variant too, never the kernel linked into
// lar: the same code linked into the executable and into a shared object
// differed by 1.6% (code placement), which would bias every comparison.
//
// `layout` > 0 links the same objects behind kLayoutPadBytes * layout bytes
// of padding, so every function of the kernel sits at another address (16
// bytes further per layout modulo 64, another page offset) with the same
// instructions: the code-placement effect, measured by `lar calibrate`.
std::optional<KernelVariant> LoadKernelVariant(const Target& target, const std::string& source,
                                               const std::string& state_dir, int instance,
                                               std::string* error, int layout = 0);

// Padding per layout step: 65 x 16 bytes, so layouts 0-3 put the kernel's
// 16-byte-aligned text at offsets 0, 16, 32 and 48 modulo a cache line.
inline constexpr int kLayoutPadBytes = 1040;
inline constexpr int kLayouts = 4;

}  // namespace lar

#endif  // LAR_HARNESS_VARIANT_H_
