// lar's own version, the git describe of the build, and the harness version
// that keys which recorded runs the keep gate may compare.
#ifndef LAR_HARNESS_VERSION_H_
#define LAR_HARNESS_VERSION_H_

namespace lar {

// Bump when a change to measurement or statistics makes old records
// incomparable; the gate then starts a new baseline.
inline constexpr int kHarnessVersion = 3;

const char* Version();      // "0.1.0"
const char* GitDescribe();  // git describe of the source tree at build time

}  // namespace lar

#endif  // LAR_HARNESS_VERSION_H_
