// Runs kernel work in a forked child so a SIGSEGV, SIGILL, abort or hang in
// a kernel becomes a recorded result (crash with the signal, or timeout)
// instead of killing lar. The child streams progress markers (what it is
// doing) and one final JSON result through a pipe.
#ifndef LAR_HARNESS_CHILD_H_
#define LAR_HARNESS_CHILD_H_

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace lar {

class ChildChannel {
 public:
  explicit ChildChannel(int fd) : fd_(fd) {}
  // Records what the child is about to do, so a crash can be attributed
  // ("verify pq-l2 [AVX2] case ..."). Cheap: one short write.
  void Mark(const std::string& what);

 private:
  int fd_;
};

struct ChildOutcome {
  enum class Status {
    kOk,        // exited normally with a result
    kCrashed,   // killed by a signal, or exited without a result
    kTimedOut,  // killed by lar at the deadline
  };
  Status status = Status::kCrashed;
  int signal = 0;           // for kCrashed by signal
  int exit_code = 0;        // for kCrashed by exit without a result
  std::string signal_name;  // "SIGSEGV"
  std::string last_marker;  // the last Mark() before the end
  nlohmann::json result;    // kOk only
  double seconds = 0.0;

  // "SIGSEGV during verify pq-l2 [AVX2] case ..." and similar.
  std::string Describe() const;
};

// Forks; the child runs `body` and sends its return value. `timeout_seconds`
// <= 0 means no deadline.
ChildOutcome RunInChild(const std::function<nlohmann::json(ChildChannel&)>& body,
                        double timeout_seconds);

// "SIGSEGV" for SIGSEGV, "signal 63" when unnamed.
std::string SignalName(int sig);

}  // namespace lar

#endif  // LAR_HARNESS_CHILD_H_
