// The classic encoding (heartbeat-compat.md §5.2).
#include "heartbeatd/wire/classic_codec.h"

#include "heartbeatd/wire/base64.h"
#include "heartbeatd/wire/classic_text.h"
#include "heartbeatd/wire/field_parse.h"
#include "heartbeatd/wire/wire_format.h"

namespace vigil::wire::internal {

namespace {

Error malformed(std::string_view why) {
  return Error{"malformed classic packet: " + std::string(why)};
}

}  // namespace

Result<Decoded> decode_classic(std::string_view datagram) {
  std::string_view rest = datagram.substr(kClassicBegin.size());
  Decoded decoded;
  decoded.encoding = Encoding::kClassic;
  bool ended = false;
  while (!rest.empty()) {
    const std::size_t eol = rest.find('\n');
    if (eol == std::string_view::npos) return malformed("line without newline");
    const std::string_view line = rest.substr(0, eol);
    rest.remove_prefix(eol + 1);
    if (line == kClassicEndLine) {
      ended = true;
      break;
    }
    if (decoded.message.fields().size() == kMaxFields)
      return malformed("more than " + std::to_string(kMaxFields) + " fields");
    auto raw = split_field(line, /*type_prefix_required=*/false);
    if (!raw) return malformed(raw.error().message);
    Field field{std::string(raw->name), raw->type, {}};
    switch (raw->type) {
      case FieldType::kString:
        field.value.assign(raw->value);
        for (char& c : field.value)
          if (c == kClassicNewlineSubstitute) c = '\n';
        break;
      case FieldType::kBinary: {
        auto bytes = base64_decode(raw->value);
        if (!bytes) return malformed("bad base64 in field '" + field.name + "'");
        field.value = std::move(*bytes);
        break;
      }
      default:
        // Nested and compressed fields stay opaque (message.h).
        field.value.assign(raw->value);
        break;
    }
    if (field.name == kAuthField) {
      if (decoded.message.has(kAuthField)) return malformed("two auth fields");
      decoded.auth_field = field.value;
    }
    decoded.message.fields().push_back(std::move(field));
  }
  if (!ended) return malformed("no end line");
  // §5.1: heartbeat sends one NUL after the end line.
  if (rest == std::string_view("\0", 1)) rest.remove_prefix(1);
  if (!rest.empty()) return malformed("bytes after the end line");
  return decoded;
}

Result<std::string> encode_classic(Message message, const conf::AuthKey& key) {
  if (Status st = check_encodable(message); !st) return st.error();
  add_classic_auth(message, key);
  std::string out(kClassicBegin);
  for (const Field& field : message.fields()) append_classic_line(out, field);
  out += kClassicEndLine;
  out += '\n';
  out += '\0';
  if (out.size() > kMaxDatagramBytes) return Error{"message too large to send"};
  return out;
}

}  // namespace vigil::wire::internal
