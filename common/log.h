// One call per event. The backend is chosen once at start (log::init):
// journald's native protocol under systemd, stderr otherwise, and in
// addition the classic ha.cf `logfile`/`debugfile` in heartbeat's line
// format (heartbeat-compat.md §2.7) so existing log watchers keep working.
//
// Structured fields use journald names: VIGIL_NODE, VIGIL_LINK,
// VIGIL_GROUP, VIGIL_EVENT (a stable event id such as "node-dead"), and
// MESSAGE_ID where an event kind has one. The text is the heartbeat log
// text users know (heartbeat-compat.md §6), without the priority word.
#pragma once

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

// Writes one event to every active backend. Thread-compatible, not
// thread-safe: vigil's daemons are single-threaded event loops.
void write(Priority p, std::string_view text, const Fields& fields = {});

inline void crit(std::string_view t, const Fields& f = {}) { write(Priority::kCrit, t, f); }
inline void error(std::string_view t, const Fields& f = {}) { write(Priority::kError, t, f); }
inline void warn(std::string_view t, const Fields& f = {}) { write(Priority::kWarn, t, f); }
inline void notice(std::string_view t, const Fields& f = {}) { write(Priority::kNotice, t, f); }
inline void info(std::string_view t, const Fields& f = {}) { write(Priority::kInfo, t, f); }
inline void debug(std::string_view t, const Fields& f = {}) { write(Priority::kDebug, t, f); }

}  // namespace vigil::log
