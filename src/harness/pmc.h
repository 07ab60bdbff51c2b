// Hardware counters (cycles, instructions) through perf_event_open, when the
// kernel allows it. Never fails a run: unavailability is a reason string.
#ifndef LAR_HARNESS_PMC_H_
#define LAR_HARNESS_PMC_H_

#include <cstdint>
#include <string>

namespace lar {

class Counters {
 public:
  Counters();  // opens the counters (disabled) or records why not
  ~Counters();
  Counters(const Counters&) = delete;
  Counters& operator=(const Counters&) = delete;

  bool available() const { return leader_ >= 0; }
  // "n/a (perf_event_open: Permission denied, perf_event_paranoid=3)"
  const std::string& unavailable_reason() const { return reason_; }

  void Start();  // resumes counting (accumulates across Start/Stop)
  void Stop();
  uint64_t cycles() const { return cycles_; }
  uint64_t instructions() const { return instructions_; }

 private:
  void Read();
  int leader_ = -1;
  int follower_ = -1;
  uint64_t cycles_ = 0;
  uint64_t instructions_ = 0;
  std::string reason_;
};

}  // namespace lar

#endif  // LAR_HARNESS_PMC_H_
