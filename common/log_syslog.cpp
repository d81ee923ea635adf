#include "common/log_syslog.h"

#include <syslog.h>

#include <utility>

namespace vigil::log {

namespace {

struct FacilityName {
  std::string_view name;
  int code;
};

// The names heartbeat accepts (heartbeat-compat.md §2.4) plus the rest of
// syslog.h's table, so a config valid for heartbeat is valid here.
constexpr FacilityName kFacilities[] = {
    {"auth", LOG_AUTH},     {"authpriv", LOG_AUTHPRIV}, {"cron", LOG_CRON},
    {"daemon", LOG_DAEMON}, {"ftp", LOG_FTP},           {"kern", LOG_KERN},
    {"lpr", LOG_LPR},       {"mail", LOG_MAIL},         {"news", LOG_NEWS},
    {"syslog", LOG_SYSLOG}, {"user", LOG_USER},         {"uucp", LOG_UUCP},
    {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1},     {"local2", LOG_LOCAL2},
    {"local3", LOG_LOCAL3}, {"local4", LOG_LOCAL4},     {"local5", LOG_LOCAL5},
    {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
};

}  // namespace

std::optional<int> syslog_facility(std::string_view name) {
  for (const auto& f : kFacilities) {
    if (f.name == name) return f.code;
  }
  return std::nullopt;
}

SyslogSink::SyslogSink(std::string ident, int facility)
    : ident_(std::move(ident)), facility_(facility) {
  openlog(ident_.c_str(), LOG_PID | LOG_NDELAY, facility_);
}

SyslogSink::~SyslogSink() { closelog(); }

void SyslogSink::write(const Event& event) {
  const std::string_view word = priority_word(event.priority);
  syslog(facility_ | syslog_priority(event.priority), "%.*s: %.*s",
         static_cast<int>(word.size()), word.data(), static_cast<int>(event.text.size()),
         event.text.data());
}

}  // namespace vigil::log
