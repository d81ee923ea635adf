#include "common/log_types.h"

#include <syslog.h>

namespace vigil::log {

std::string_view priority_word(Priority p) {
  switch (p) {
    case Priority::kEmerg: return "EMERG";
    case Priority::kAlert: return "ALERT";
    case Priority::kCrit: return "CRIT";
    case Priority::kError: return "ERROR";
    case Priority::kWarn: return "WARN";
    case Priority::kNotice: return "notice";
    case Priority::kInfo: return "info";
    case Priority::kDebug: return "debug";
  }
  return "info";
}

int syslog_priority(Priority p) {
  switch (p) {
    case Priority::kEmerg: return LOG_EMERG;
    case Priority::kAlert: return LOG_ALERT;
    case Priority::kCrit: return LOG_CRIT;
    case Priority::kError: return LOG_ERR;
    case Priority::kWarn: return LOG_WARNING;
    case Priority::kNotice: return LOG_NOTICE;
    case Priority::kInfo: return LOG_INFO;
    case Priority::kDebug: return LOG_DEBUG;
  }
  return LOG_INFO;
}

}  // namespace vigil::log
