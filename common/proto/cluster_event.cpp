#include "common/proto/cluster_event.h"

#include <fmt/format.h>

#include <algorithm>

namespace vigil::proto {

std::vector<ClusterEvent> all_cluster_events() {
  std::vector<ClusterEvent> events;
  for (std::uint16_t n = kFirstClusterEvent; n <= kLastClusterEvent; ++n)
    events.push_back(static_cast<ClusterEvent>(n));
  return events;
}

std::string_view event_name(ClusterEvent event) {
  switch (event) {
    case ClusterEvent::kStatus:
      return "status";
    case ClusterEvent::kIfstat:
      return "ifstat";
    case ClusterEvent::kIpRequest:
      return "ip-request";
    case ClusterEvent::kIpRequestResp:
      return "ip-request-resp";
    case ClusterEvent::kHbTakeover:
      return "hb_takeover";
    case ClusterEvent::kStonith:
      return "stonith";
  }
  return "";
}

std::optional<ClusterEvent> cluster_event_from(std::uint16_t number) {
  if (number < kFirstClusterEvent || number > kLastClusterEvent) return std::nullopt;
  return static_cast<ClusterEvent>(number);
}

namespace {

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool value_char(char c) { return c >= 0x20 && c <= 0x7e; }

}  // namespace

std::string event_field_violation(const EventField& field) {
  if (field.name.empty() || field.name.size() > kMaxEventFieldName)
    return fmt::format("field name of {} bytes (1 to {})", field.name.size(), kMaxEventFieldName);
  if (!std::all_of(field.name.begin(), field.name.end(), name_char))
    return "field name outside [A-Za-z0-9_]";
  if (field.value.size() > kMaxEventFieldValue)
    return fmt::format("field {}: value of {} bytes (at most {})", field.name, field.value.size(),
                       kMaxEventFieldValue);
  if (!std::all_of(field.value.begin(), field.value.end(), value_char))
    return fmt::format("field {}: value outside printable ASCII", field.name);
  return {};
}

std::string event_fields_violation(const std::vector<EventField>& fields) {
  if (fields.size() > kMaxEventFields)
    return fmt::format("{} fields (at most {})", fields.size(), kMaxEventFields);
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (std::string why = event_field_violation(fields[i]); !why.empty()) return why;
    for (std::size_t j = 0; j < i; ++j)
      if (fields[j].name == fields[i].name)
        return fmt::format("field {} given twice", fields[i].name);
  }
  return {};
}

}  // namespace vigil::proto
