#include "heartbeatd/wire/field_parse.h"

#include <string>

#include "heartbeatd/wire/wire_format.h"

namespace vigil::wire::internal {

Result<RawField> split_field(std::string_view text, bool type_prefix_required) {
  RawField field;
  if (text.size() >= 3 && text[0] == '(' && text[2] == ')') {
    const char digit = text[1];
    // Types 0–5 exist (§5.2); anything else is not a heartbeat message.
    if (digit < '0' || digit > '5') return Error{"unknown field type"};
    field.type = static_cast<FieldType>(digit - '0');
    text.remove_prefix(3);
  } else if (type_prefix_required) {
    return Error{"field without type prefix"};
  }
  const std::size_t eq = text.find('=');
  if (eq == std::string_view::npos) return Error{"field without '='"};
  field.name = text.substr(0, eq);
  field.value = text.substr(eq + 1);
  if (field.name.empty()) return Error{"field with an empty name"};
  if (field.name.size() > kMaxNameBytes)
    return Error{"field name longer than " + std::to_string(kMaxNameBytes) + " bytes"};
  if (field.value.size() > kMaxValueBytes) return Error{"field value too long"};
  return field;
}

}  // namespace vigil::wire::internal
