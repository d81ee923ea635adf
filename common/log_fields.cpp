#include "common/log_fields.h"

namespace vigil::log {

namespace {

// systemd's journal_field_valid() limit.
constexpr std::size_t kMaxFieldNameLength = 64;

bool is_upper_or_digit_or_underscore(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

bool valid_field_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxFieldNameLength) return false;
  if (name.front() == '_' || (name.front() >= '0' && name.front() <= '9')) return false;
  for (char c : name) {
    if (!is_upper_or_digit_or_underscore(c)) return false;
  }
  return true;
}

bool reserved_field_name(std::string_view name) {
  return name == "MESSAGE" || name == "PRIORITY" || name == "SYSLOG_IDENTIFIER" ||
         name == "SYSLOG_FACILITY" || name == "SYSLOG_PID";
}

CheckedFields check_fields(const Fields& fields) {
  CheckedFields out;
  for (const auto& field : fields) {
    if (valid_field_name(field.first) && !reserved_field_name(field.first)) {
      out.kept.push_back(field);
    } else {
      out.dropped.push_back(field.first);
    }
  }
  return out;
}

}  // namespace vigil::log
