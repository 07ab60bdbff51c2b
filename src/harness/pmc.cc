// perf_event_open group of {cycles, instructions}, user space only.
#include "harness/pmc.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fstream>

namespace lar {
namespace {

int OpenCounter(uint64_t config, int group) {
  perf_event_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.size = sizeof(attr);
  attr.type = PERF_TYPE_HARDWARE;
  attr.config = config;
  attr.disabled = group < 0 ? 1 : 0;
  attr.exclude_kernel = 1;
  attr.exclude_hv = 1;
  attr.read_format = PERF_FORMAT_GROUP;
  return static_cast<int>(syscall(SYS_perf_event_open, &attr, 0, -1, group, PERF_FLAG_FD_CLOEXEC));
}

std::string Paranoid() {
  std::ifstream in("/proc/sys/kernel/perf_event_paranoid");
  std::string v;
  if (in >> v) return ", perf_event_paranoid=" + v;
  return "";
}

}  // namespace

Counters::Counters() {
  leader_ = OpenCounter(PERF_COUNT_HW_CPU_CYCLES, -1);
  if (leader_ < 0) {
    reason_ = std::string("perf_event_open: ") + strerror(errno) + Paranoid();
    return;
  }
  follower_ = OpenCounter(PERF_COUNT_HW_INSTRUCTIONS, leader_);
  if (follower_ < 0) {
    reason_ = std::string("perf_event_open(instructions): ") + strerror(errno);
    close(leader_);
    leader_ = -1;
    return;
  }
  ioctl(leader_, PERF_EVENT_IOC_RESET, PERF_IOC_FLAG_GROUP);
}

Counters::~Counters() {
  if (follower_ >= 0) close(follower_);
  if (leader_ >= 0) close(leader_);
}

void Counters::Start() {
  if (leader_ >= 0) ioctl(leader_, PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP);
}

void Counters::Stop() {
  if (leader_ < 0) return;
  ioctl(leader_, PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP);
  Read();
}

void Counters::Read() {
  uint64_t buf[3] = {0, 0, 0};  // nr, cycles, instructions
  if (read(leader_, buf, sizeof(buf)) == static_cast<ssize_t>(sizeof(buf)) && buf[0] == 2) {
    cycles_ = buf[1];
    instructions_ = buf[2];
  }
}

}  // namespace lar
