// The classic ha.cf logfile/debugfile backend: heartbeat's line format
// (heartbeat-compat.md §2.7), appended with one write(2) per line.
#pragma once

#include <sys/types.h>

#include <string>

#include "common/log_format.h"
#include "common/log_sink.h"
#include "common/unique_fd.h"

namespace vigil::log {

class FileSink final : public Sink {
 public:
  // `with_debug`: the debugfile takes debug events, the logfile does not.
  // Opens the file now; a file that cannot be opened is reported once on
  // stderr and the sink writes nothing until a reopen() succeeds.
  FileSink(std::string path, FileLineStyle style, bool with_debug);

  void write(const Event& event) override;
  // Reopens when the path no longer names the open file (moved or removed
  // by logrotate) or when the file was never opened.
  void reopen() override;

  bool is_open() const { return fd_.valid(); }

 private:
  void open_file();

  std::string path_;
  FileLineStyle style_;
  bool with_debug_;
  UniqueFd fd_;
  bool reported_failure_ = false;
};

}  // namespace vigil::log
