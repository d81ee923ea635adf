#include "heartbeatd/wire/control_fields.h"

#include "heartbeatd/wire/field_values.h"

namespace vigil::wire {

namespace {

std::string uuid_bytes(const NodeUuid& uuid) {
  return std::string(reinterpret_cast<const char*>(uuid.data()), uuid.size());
}

}  // namespace

bool is_unsequenced_type(std::string_view type) { return type.starts_with("NS_"); }

void add_control_fields(Message& message, const ControlFields& control) {
  const bool sequenced = !is_unsequenced_type(message.type());
  if (control.dest_uuid && message.has("dest"))
    message.set("destuuid", uuid_bytes(*control.dest_uuid), FieldType::kBinary);
  message.set("src", control.src);
  if (control.uuid) message.set("srcuuid", uuid_bytes(*control.uuid), FieldType::kBinary);
  if (sequenced && control.seq) message.set("seq", format_hex(*control.seq));
  message.set("hg", format_hex(control.generation));
  message.set("ts", format_hex(control.ts < 0 ? 0 : static_cast<std::uint64_t>(control.ts)));
  if (sequenced && control.load_average) message.set("ld", *control.load_average);
  message.set("ttl", format_decimal(static_cast<std::uint64_t>(control.ttl < 0 ? 0 : control.ttl)));
}

}  // namespace vigil::wire
