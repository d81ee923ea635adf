// The text lines vigil writes, as pure functions of what goes into them, so
// the exact formats are testable with a fixed clock, host and pid.
#pragma once

#include <sys/types.h>

#include <ctime>
#include <string>
#include <string_view>

#include "common/log.h"

namespace vigil::log {

// Everything a line says besides the priority and the text.
struct LineContext {
  std::tm local_time{};   // broken-down local time of the event
  int millisecond = 0;    // 0..999, used by the stderr line only
  std::string_view host;  // uname -n
  std::string_view ident; // "heartbeat" for heartbeatd
  pid_t pid = 0;
};

// The two classic ha.cf file formats (heartbeat-compat.md §2.7).
enum class FileLineStyle {
  // syslogmsgfmt on (heartbeat 3.0.x default):
  //   "Nov 24 23:00:06 node1 heartbeat: [104]: WARN: text\n"
  kSyslog,
  // syslogmsgfmt off (heartbeat 1.x/2.0 era):
  //   "heartbeat[104]: 2026/11/24_23:00:06 WARN: text\n"
  kClassic,
};

// One logfile/debugfile line, newline included. Month names are always
// English and the day is two digits, whatever the locale. Control
// characters in `text` other than tab are written as \xHH, so one event is
// always one line.
std::string format_file_line(FileLineStyle style, const LineContext& ctx, Priority p,
                             std::string_view text);

// One stderr line, newline included (text escaped as above), for a human at a terminal or a
// container log collector:
//   "2026-11-24 23:00:06.042 heartbeat[104]: WARN: text\n"
std::string format_stderr_line(const LineContext& ctx, Priority p, std::string_view text);

// The context of an event happening now in this process.
LineContext current_line_context(std::string_view host, std::string_view ident);

}  // namespace vigil::log
