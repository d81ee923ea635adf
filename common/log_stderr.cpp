#include "common/log_stderr.h"

#include <unistd.h>

#include <cerrno>

namespace vigil::log {

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void StderrSink::write(const Event& event) {
  // One write(2) per line keeps lines whole when several processes share
  // the terminal.
  write_all(STDERR_FILENO, format_stderr_line(event.context, event.priority, event.text));
}

}  // namespace vigil::log
