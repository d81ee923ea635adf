#include "heartbeatd/wire/classic_text.h"

#include <algorithm>

#include "heartbeatd/wire/auth_token.h"
#include "heartbeatd/wire/base64.h"
#include "heartbeatd/wire/signature.h"
#include "heartbeatd/wire/wire_format.h"

namespace vigil::wire::internal {

void append_classic_line(std::string& out, const Field& field) {
  if (field.type != FieldType::kString) {
    out += '(';
    out += static_cast<char>('0' + static_cast<int>(field.type));
    out += ')';
  }
  out += field.name;
  out += '=';
  switch (field.type) {
    case FieldType::kString:
      // §5.2: a line break inside a value would end the line.
      for (char c : field.value) out += (c == '\n') ? kClassicNewlineSubstitute : c;
      break;
    case FieldType::kBinary:
      out += base64_encode(field.value);
      break;
    default:
      out += field.value;
      break;
  }
  out += '\n';
}

std::string classic_signing_text(const Message& message) {
  std::string text;
  for (const Field& field : message.fields())
    if (field.name != kAuthField) append_classic_line(text, field);
  return text;
}

Status check_encodable(const Message& message) {
  // +1: the auth field the encoders add.
  if (message.fields().size() + 1 > kMaxFields)
    return Error{"message has too many fields to send"};
  for (const Field& field : message.fields()) {
    const std::string& name = field.name;
    if (name.empty() || name.size() > kMaxNameBytes)
      return Error{"field name '" + name + "' has an invalid length"};
    if (name.find_first_of(std::string_view("=\n,\0", 4)) != std::string::npos ||
        name.front() == '(')
      return Error{"field name '" + name + "' contains a reserved character"};
    if (field.value.empty())
      return Error{"field '" + name + "' has an empty value"};
    if (field.type == FieldType::kString &&
        field.value.find_first_of(std::string_view("\0\x13", 2)) != std::string::npos)
      return Error{"string field '" + name + "' contains NUL or 0x13"};
    if (field.type != FieldType::kString && field.type != FieldType::kBinary)
      return Error{"field '" + name + "' is nested; vigil does not send nested fields"};
  }
  return ok_status();
}

void add_classic_auth(Message& message, const conf::AuthKey& key) {
  message.remove(kAuthField);
  const std::string signature =
      compute_signature(key.method, key.key.view(), classic_signing_text(message));
  message.fields().push_back(
      Field{std::string(kAuthField), FieldType::kString, format_auth_token(key.id, signature)});
}

}  // namespace vigil::wire::internal
