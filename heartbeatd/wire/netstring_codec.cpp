// The netstring encoding (heartbeat-compat.md §5.3).
#include "heartbeatd/wire/netstring_codec.h"

#include "heartbeatd/wire/auth_token.h"
#include "heartbeatd/wire/classic_text.h"
#include "heartbeatd/wire/field_parse.h"
#include "heartbeatd/wire/signature.h"
#include "heartbeatd/wire/wire_format.h"

namespace vigil::wire::internal {

namespace {

Error malformed(std::string_view why) {
  return Error{"malformed netstring packet: " + std::string(why)};
}

// Reads one `<len>:<payload>,` from the front of `rest`.
Result<std::string_view> take_netstring(std::string_view& rest) {
  std::size_t length = 0;
  std::size_t digits = 0;
  while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') {
    if (digits == kMaxLengthDigits) return malformed("length has too many digits");
    length = length * 10 + static_cast<std::size_t>(rest[digits] - '0');
    ++digits;
  }
  if (digits == 0) return malformed("length is not a number");
  if (digits > 1 && rest[0] == '0') return malformed("length has a leading zero");
  if (digits == rest.size() || rest[digits] != ':')
    return malformed("length not followed by ':'");
  rest.remove_prefix(digits + 1);
  // The payload and its ',' must both be there.
  if (length >= rest.size()) return malformed("truncated");
  const std::string_view payload = rest.substr(0, length);
  if (rest[length] != ',') return malformed("payload not followed by ','");
  rest.remove_prefix(length + 1);
  return payload;
}

}  // namespace

Result<Decoded> decode_netstring(std::string_view datagram) {
  std::string_view rest = datagram.substr(kNetstringBegin.size());
  Decoded decoded;
  decoded.encoding = Encoding::kNetstring;
  while (!rest.starts_with(kNetstringEnd)) {
    if (rest.empty()) return malformed("no end marker");
    if (decoded.message.fields().size() == kMaxFields)
      return malformed("more than " + std::to_string(kMaxFields) + " fields");
    auto payload = take_netstring(rest);
    if (!payload) return payload.error();
    auto raw = split_field(*payload, /*type_prefix_required=*/true);
    if (!raw) return malformed(raw.error().message);
    // Values are raw bytes for every type here: binary is not base64
    // (§5.3) and nested fields stay opaque (message.h).
    Field field{std::string(raw->name), raw->type, std::string(raw->value)};
    if (field.name == kAuthField) {
      if (decoded.message.has(kAuthField)) return malformed("two auth fields");
      decoded.auth_field = field.value;
    }
    decoded.message.fields().push_back(std::move(field));
  }
  rest.remove_prefix(kNetstringEnd.size());
  decoded.signed_span.assign(datagram.substr(0, datagram.size() - rest.size()));
  if (rest.empty()) return malformed("no authentication trailer");
  auto trailer = take_netstring(rest);
  if (!trailer) return trailer.error();
  if (!rest.empty()) return malformed("bytes after the authentication trailer");
  decoded.trailer.assign(*trailer);
  return decoded;
}

Result<std::string> encode_netstring(Message message, const conf::AuthKey& key) {
  if (Status st = check_encodable(message); !st) return st.error();
  add_classic_auth(message, key);
  std::string out(kNetstringBegin);
  for (const Field& field : message.fields()) {
    const std::size_t length = 3 + field.name.size() + 1 + field.value.size();
    out += std::to_string(length);
    out += ":(";
    out += static_cast<char>('0' + static_cast<int>(field.type));
    out += ')';
    out += field.name;
    out += '=';
    out += field.value;
    out += ',';
  }
  out += kNetstringEnd;
  const std::string token =
      format_auth_token(key.id, compute_signature(key.method, key.key.view(), out));
  out += std::to_string(token.size());
  out += ':';
  out += token;
  out += ',';
  if (out.size() > kMaxDatagramBytes) return Error{"message too large to send"};
  return out;
}

}  // namespace vigil::wire::internal
