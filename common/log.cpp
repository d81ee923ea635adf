// Minimal stderr backend; the journald and classic-file backends and
// log::init come with the logging work of the foundation issue.
#include "common/log.h"

#include <cstdio>
#include <string>

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

void write(Priority p, std::string_view text, const Fields&) {
  std::string line(priority_word(p));
  line += ": ";
  line += text;
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace vigil::log
