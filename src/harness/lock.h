// The machine-wide bench lock: two lar processes never time kernels at the
// same time (each would be the other's noisy neighbour).
#ifndef LAR_HARNESS_LOCK_H_
#define LAR_HARNESS_LOCK_H_

#include <string>

namespace lar {

// Path of the lock file: $LAR_LOCK_FILE, else /tmp/lar-bench.lock.
std::string BenchLockPath();

class MachineLock {
 public:
  // Blocks until the lock is held; if another process holds it, says on
  // stderr who and what it waits for. `what` describes this holder.
  explicit MachineLock(const std::string& what);
  ~MachineLock();
  MachineLock(const MachineLock&) = delete;
  MachineLock& operator=(const MachineLock&) = delete;

  double waited_seconds() const { return waited_seconds_; }

 private:
  int fd_ = -1;
  double waited_seconds_ = 0.0;
};

}  // namespace lar

#endif  // LAR_HARNESS_LOCK_H_
