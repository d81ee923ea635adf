#include "common/log_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "common/log_stderr.h"

namespace vigil::log {

namespace {

// Log files are read by admins, not the world: the text names nodes,
// addresses and resources.
constexpr mode_t kLogFileMode = 0640;

}  // namespace

FileSink::FileSink(std::string path, FileLineStyle style, bool with_debug)
    : path_(std::move(path)), style_(style), with_debug_(with_debug) {
  open_file();
}

void FileSink::open_file() {
  int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY,
                  kLogFileMode);
  if (fd < 0) {
    // Once, so a full disk or a missing directory does not double every
    // line on stderr.
    if (!reported_failure_) {
      write_all(STDERR_FILENO, fmt::format("cannot open log file {}: {}; not logging to it\n",
                                           path_, std::strerror(errno)));
      reported_failure_ = true;
    }
    return;
  }
  fd_.reset(fd);
  reported_failure_ = false;
}

void FileSink::write(const Event& event) {
  if (!fd_.valid()) return;
  if (event.priority == Priority::kDebug && !with_debug_) return;
  write_all(fd_.get(), format_file_line(style_, event.context, event.priority, event.text));
}

void FileSink::reopen() {
  if (fd_.valid()) {
    struct stat open_st {};
    struct stat path_st {};
    if (fstat(fd_.get(), &open_st) == 0 && stat(path_.c_str(), &path_st) == 0 &&
        open_st.st_dev == path_st.st_dev && open_st.st_ino == path_st.st_ino) {
      return;
    }
    fd_.reset();
  }
  open_file();
}

}  // namespace vigil::log
