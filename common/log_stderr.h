// The stderr backend: one readable line per event (log_format.h), used when
// not running under systemd's journal.
#pragma once

#include "common/log_sink.h"

namespace vigil::log {

class StderrSink final : public Sink {
 public:
  void write(const Event& event) override;
};

// Writes all of `bytes` to `fd`, retrying on EINTR and short writes.
// Returns false if the descriptor refused.
bool write_all(int fd, std::string_view bytes);

}  // namespace vigil::log
