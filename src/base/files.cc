// WriteAll and WriteFileAtomically.
#include "base/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace lar {

int WriteAll(int fd, std::string_view data) {
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t w = write(fd, data.data() + off, data.size() - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    off += static_cast<size_t>(w);
  }
  return 0;
}

void WriteFileAtomically(const std::string& path, std::string_view text) {
  const std::string tmp = path + ".tmp." + std::to_string(getpid());
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot write " + tmp + ": " + strerror(errno));
  const int error = WriteAll(fd, text);
  if (close(fd) != 0 || error != 0) {
    const std::string why = strerror(error != 0 ? error : errno);
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot write " + tmp + ": " + why);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = strerror(errno);
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot rename " + tmp + " to " + path + ": " + why);
  }
}

}  // namespace lar
