// fork/pipe/poll/waitpid plumbing for RunInChild.
#include "harness/child.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>

#include "base/check.h"
#include "base/files.h"
#include "harness/timer.h"

namespace lar {
namespace {

std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

}  // namespace

// A failed write means the parent is gone: nothing sensible to do.
void ChildChannel::Mark(const std::string& what) { WriteAll(fd_, "M " + OneLine(what) + "\n"); }

std::string SignalName(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  if (abbrev != nullptr) return std::string("SIG") + abbrev;
  return "signal " + std::to_string(sig);
}

std::string ChildOutcome::Describe() const {
  std::string where = last_marker.empty() ? "" : " during " + last_marker;
  switch (status) {
    case Status::kOk:
      return "ok";
    case Status::kTimedOut:
      return "timeout: killed after " + std::to_string(static_cast<int>(seconds)) + " s" + where;
    case Status::kCrashed:
      if (signal != 0) return signal_name + where;
      return "exited with code " + std::to_string(exit_code) + " before reporting a result" + where;
  }
  return "?";
}

ChildOutcome RunInChild(const std::function<nlohmann::json(ChildChannel&)>& body,
                        double timeout_seconds) {
  ChildOutcome out;
  int fds[2];
  LAR_CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
  std::fflush(stdout);
  std::fflush(stderr);
  const uint64_t start = NowNs();
  const pid_t pid = fork();
  LAR_CHECK(pid >= 0, "fork: %s", strerror(errno));
  if (pid == 0) {
    // The child reports its own death through its exit status: the parent
    // process's crash handlers (a test framework's, say) must not run here.
    for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) signal(sig, SIG_DFL);
    close(fds[0]);
    ChildChannel channel(fds[1]);
    int code = 0;
    try {
      const nlohmann::json result = body(channel);
      WriteAll(fds[1], "R " + result.dump() + "\n");
    } catch (const std::exception& e) {
      std::fprintf(stderr, "lar: child failed: %s\n", e.what());
      code = 70;
    }
    std::fflush(stdout);
    std::fflush(stderr);
    close(fds[1]);
    _exit(code);
  }

  close(fds[1]);
  std::string buffer;
  std::string result_line;
  bool timed_out = false;
  char chunk[65536];
  for (;;) {
    int wait_ms = -1;
    if (timeout_seconds > 0) {
      const double left = timeout_seconds - static_cast<double>(NowNs() - start) * 1e-9;
      if (left <= 0) {
        timed_out = true;
        break;
      }
      wait_ms = static_cast<int>(left * 1000.0) + 1;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int ready = poll(&p, 1, wait_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (ready == 0) continue;  // deadline re-checked at the top
    const ssize_t n = read(fds[0], chunk, sizeof(chunk));
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (n == 0) break;  // child closed its end
    buffer.append(chunk, static_cast<size_t>(n));
    size_t nl;
    while ((nl = buffer.find('\n')) != std::string::npos) {
      std::string line = buffer.substr(0, nl);
      buffer.erase(0, nl + 1);
      if (line.rfind("M ", 0) == 0) {
        out.last_marker = line.substr(2);
      } else if (line.rfind("R ", 0) == 0) {
        result_line = line.substr(2);
      }
    }
  }
  if (timed_out) kill(pid, SIGKILL);
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  out.seconds = static_cast<double>(NowNs() - start) * 1e-9;

  if (timed_out) {
    out.status = ChildOutcome::Status::kTimedOut;
  } else if (WIFSIGNALED(status)) {
    out.status = ChildOutcome::Status::kCrashed;
    out.signal = WTERMSIG(status);
    out.signal_name = SignalName(out.signal);
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !result_line.empty()) {
    out.status = ChildOutcome::Status::kOk;
    out.result = nlohmann::json::parse(result_line);
  } else {
    out.status = ChildOutcome::Status::kCrashed;
    out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  return out;
}

}  // namespace lar
