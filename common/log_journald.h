// The journald backend: systemd's native protocol (sd_journal_sendv), with
// MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, SYSLOG_FACILITY when configured,
// and the caller's checked fields.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/log_sink.h"

namespace vigil::log {

// The "NAME=value" items of one journal entry, in the order sent: MESSAGE,
// PRIORITY, SYSLOG_IDENTIFIER, SYSLOG_FACILITY (when `facility` is set),
// then the event's fields.
std::vector<std::string> journal_items(const Event& event, std::string_view ident,
                                       std::optional<int> facility);

class JournaldSink final : public Sink {
 public:
  JournaldSink(std::string ident, std::optional<int> facility);
  void write(const Event& event) override;

 private:
  std::string ident_;
  std::optional<int> facility_;  // syslog facility number (LOG_DAEMON >> 3)
};

// systemd's documented convention (systemd.exec(5), JOURNAL_STREAM): the
// variable holds "<device>:<inode>" of the stream systemd connected to the
// journal; a process whose `fd` still has that device and inode logs to the
// journal. Returns false for an absent or malformed value.
bool journal_stream_matches(const char* journal_stream, int fd);

// journal_stream_matches(getenv("JOURNAL_STREAM"), STDERR_FILENO).
bool stderr_is_journal();

}  // namespace vigil::log
