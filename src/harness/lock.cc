// flock-based machine lock with a holder note inside the lock file.
#include "harness/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "harness/timer.h"

namespace lar {

std::string BenchLockPath() {
  const char* env = std::getenv("LAR_LOCK_FILE");
  return (env != nullptr && *env != '\0') ? env : "/tmp/lar-bench.lock";
}

MachineLock::MachineLock(const std::string& what) {
  const std::string path = BenchLockPath();
  fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd_ < 0) {
    // Without a lock file we still run; the note says what is lost.
    std::fprintf(stderr,
                 "lar: cannot open bench lock %s (%s); timing without "
                 "mutual exclusion\n",
                 path.c_str(), strerror(errno));
    return;
  }
  const uint64_t start = NowNs();
  if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    char holder[256] = {0};
    const ssize_t n = pread(fd_, holder, sizeof(holder) - 1, 0);
    std::string who = n > 0 ? std::string(holder, static_cast<size_t>(n)) : "";
    while (!who.empty() && (who.back() == '\n' || who.back() == ' ')) who.pop_back();
    std::fprintf(stderr, "lar: waiting for the bench lock %s held by %s\n", path.c_str(),
                 who.empty() ? "another lar process" : who.c_str());
    while (flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
    }
    waited_seconds_ = static_cast<double>(NowNs() - start) * 1e-9;
  }
  const std::string note = "pid " + std::to_string(getpid()) + " (" + what + ")\n";
  if (ftruncate(fd_, 0) == 0) {
    [[maybe_unused]] ssize_t w = pwrite(fd_, note.data(), note.size(), 0);
  }
}

MachineLock::~MachineLock() {
  if (fd_ >= 0) close(fd_);  // closing releases the flock
}

}  // namespace lar
