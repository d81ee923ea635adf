// Internal to the logger: the interface every backend implements. Callers
// use log.h.
#pragma once

#include <string_view>

#include "common/log.h"
#include "common/log_format.h"

namespace vigil::log {

// One event as a sink receives it: fields already checked (log_fields.h).
struct Event {
  Priority priority;
  std::string_view text;
  const Fields& fields;
  const LineContext& context;
};

class Sink {
 public:
  virtual ~Sink() = default;
  // Writes one event; failures are swallowed (a logger has nowhere to
  // report its own failure but stderr, which is itself a sink).
  virtual void write(const Event& event) = 0;
  // Reopens files moved away by logrotate; nothing for other sinks.
  virtual void reopen() {}
};

}  // namespace vigil::log
