// The syslog(3) backend for ha.cf `logfacility`: tag `<ident>[<pid>]`
// (heartbeat-compat.md §2.7), text "<prio word>: <text>".
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/log_sink.h"

namespace vigil::log {

// The facility code (LOG_DAEMON, LOG_LOCAL0, ...) for a ha.cf facility
// name; nullopt for "none" and for names that are not facilities.
std::optional<int> syslog_facility(std::string_view name);

class SyslogSink final : public Sink {
 public:
  SyslogSink(std::string ident, int facility);
  ~SyslogSink() override;
  SyslogSink(const SyslogSink&) = delete;
  SyslogSink& operator=(const SyslogSink&) = delete;

  void write(const Event& event) override;

 private:
  std::string ident_;  // openlog keeps the pointer: must outlive the sink
  int facility_;
};

}  // namespace vigil::log
