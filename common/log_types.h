// The vocabulary of logging, without the writer: priorities, structured
// fields and the logging part of the configuration. The sans-IO libraries
// (the engine, the core, conf) use these types to describe a log line as
// data; only the I/O shell includes common/log.h and writes it. Keeping
// them apart is what lets the build refuse a log call inside the engine
// (heartbeatd/engine/sans_io_check.py).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::log {

// heartbeat's priority words: EMERG ALERT CRIT ERROR WARN notice info debug.
enum class Priority { kEmerg, kAlert, kCrit, kError, kWarn, kNotice, kInfo, kDebug };

using Fields = std::vector<std::pair<std::string, std::string>>;

// The word heartbeat prints for a priority ("WARN", "info", ...).
std::string_view priority_word(Priority p);

// syslog(3)/journald numeric priority: kEmerg = 0 ... kDebug = 7.
int syslog_priority(Priority p);

// Where events go besides the ha.cf files and syslog.
enum class Backend {
  kAuto,      // journald when stderr is connected to the journal, else stderr
  kJournald,  // always journald (sd_journal_sendv)
  kStderr,    // always stderr
  kNone,      // neither: only logfile/debugfile/logfacility (tests)
};

// The logging part of ha.cf (heartbeat-compat.md §2.4, §2.7), plus the
// identity the process logs under.
struct LogConfig {
  // SYSLOG_IDENTIFIER, syslog tag and the `<ident>` of classic lines.
  // heartbeatd passes "heartbeat" so watchers grepping `heartbeat:` keep
  // working.
  std::string ident = "vigil";
  // ha.cf `debug`: debug events are written only when > 0.
  int debug = 0;
  // ha.cf `logfile`: every event except debug ones, classic line format.
  std::optional<std::string> logfile;
  // ha.cf `debugfile`: every event including debug ones.
  std::optional<std::string> debugfile;
  // ha.cf `logfacility`: a syslog facility name (`daemon`, `local0`...) or
  // "none". Ignored for syslog(3) when journald is the backend (the event
  // is already in the journal); still sent as SYSLOG_FACILITY there.
  std::optional<std::string> logfacility;
  // ha.cf `syslogmsgfmt`: classic files use the syslog-like line.
  bool syslogmsgfmt = true;
  Backend force_backend = Backend::kAuto;
};

}  // namespace vigil::log
