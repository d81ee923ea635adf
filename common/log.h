// One call per event. The backend is chosen once at start (log::init):
// journald's native protocol under systemd, stderr otherwise, and in
// addition the classic ha.cf `logfile`/`debugfile` in heartbeat's line
// format (heartbeat-compat.md §2.7) so existing log watchers keep working,
// and syslog(3) when `logfacility` names a facility and journald is not
// already the backend.
//
// Structured fields use journald names: VIGIL_NODE, VIGIL_LINK,
// VIGIL_GROUP, VIGIL_DAEMON, VIGIL_EVENT (a stable event id such as
// "node-dead"), and MESSAGE_ID, which write() adds by itself for every
// VIGIL_EVENT the journal catalog documents (log_message_ids.h). The text
// is the heartbeat log text users know (heartbeat-compat.md §6), without
// the priority word.
//
// Field names follow journald's rules (log_fields.h): a field with a bad
// name, or one of the names the logger sets itself (MESSAGE, PRIORITY,
// SYSLOG_IDENTIFIER, SYSLOG_FACILITY), is dropped from the event; the event
// itself is still written, and a ScopedCapture sees what was dropped.
//
// Before log::init is called every event goes to stderr, so early start-up
// messages (bad command line, unreadable ha.cf) are never lost.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/log_types.h"
#include "common/result.h"

namespace vigil::log {

// Writes one event to every active backend. Thread-compatible, not
// thread-safe: vigil's daemons are single-threaded event loops.
void write(Priority p, std::string_view text, const Fields& fields = {});

// One event per line of `text` (empty lines skipped): a list such as the
// configuration's errors reads one per line, as `vigilctl check-config`
// prints it, instead of one event with escaped newlines.
void write_lines(Priority p, std::string_view text, const Fields& fields = {});

inline void crit(std::string_view t, const Fields& f = {}) { write(Priority::kCrit, t, f); }
inline void error(std::string_view t, const Fields& f = {}) { write(Priority::kError, t, f); }
inline void warn(std::string_view t, const Fields& f = {}) { write(Priority::kWarn, t, f); }
inline void notice(std::string_view t, const Fields& f = {}) { write(Priority::kNotice, t, f); }
inline void info(std::string_view t, const Fields& f = {}) { write(Priority::kInfo, t, f); }
inline void debug(std::string_view t, const Fields& f = {}) { write(Priority::kDebug, t, f); }

// Replaces the active backends. Fails (and changes nothing) only for a
// logfacility that is not a syslog facility name. A logfile or debugfile
// that cannot be opened is reported once on stderr and skipped.
Status init(const LogConfig& config);

// Reopens logfile/debugfile whose path no longer names the open file
// (logrotate moved it) or that could not be opened before. Call on SIGHUP.
void reopen();

// ha.cf `debug` at run time (SIGUSR1 raises it, SIGUSR2 lowers it;
// heartbeat-compat.md §2.8). Never below 0.
int debug_level();
void set_debug_level(int level);

// The backend init() chose (kAuto resolved); kStderr before init().
Backend active_backend();

// One event as a capture saw it: the fields kept, and the names of the
// fields dropped for a bad or reserved name.
struct CapturedEvent {
  Priority priority;
  std::string text;
  Fields fields;
  std::vector<std::string> dropped_fields;
};

// Records every event written (after the debug filter) while alive, in
// addition to the backends. For tests; captures may nest, each sees every
// event written during its lifetime.
class ScopedCapture {
 public:
  ScopedCapture();
  ~ScopedCapture();
  ScopedCapture(const ScopedCapture&) = delete;
  ScopedCapture& operator=(const ScopedCapture&) = delete;

  const std::vector<CapturedEvent>& events() const { return events_; }
  // True if some captured event's text contains `needle`.
  bool contains(std::string_view needle) const;
  void clear() { events_.clear(); }

  // Called by log::write.
  void record(CapturedEvent event) { events_.push_back(std::move(event)); }

 private:
  std::vector<CapturedEvent> events_;
};

}  // namespace vigil::log
