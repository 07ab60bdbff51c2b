// Writing files so that a crash or a kill never leaves half of one: whole
// writes to a descriptor, and replacement through a temporary and rename.
#ifndef LAR_BASE_FILES_H_
#define LAR_BASE_FILES_H_

#include <string>
#include <string_view>

namespace lar {

// Writes all of `data` to `fd`, retrying short writes and EINTR. Returns
// 0, or the errno of the write that failed.
int WriteAll(int fd, std::string_view data);

// Replaces `path` with `text`: a temporary file beside it, then rename, so
// readers see the old content or the new, never a part. Throws
// std::runtime_error naming the file and the reason.
void WriteFileAtomically(const std::string& path, std::string_view text);

}  // namespace lar

#endif  // LAR_BASE_FILES_H_
