#include "heartbeatd/wire/verify.h"

#include "heartbeatd/wire/auth_token.h"
#include "heartbeatd/wire/classic_text.h"
#include "heartbeatd/wire/signature.h"
#include "heartbeatd/wire/wire_format.h"

namespace vigil::wire {

namespace {

constexpr std::size_t kMaxLoggedBytes = 64;

std::string printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, kMaxLoggedBytes))
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

Error node_failed(const Decoded& decoded) {
  return Error{"string2msg_ll: node [" +
               printable(decoded.message.get_or("src", "")) +
               "] failed authentication"};
}

// Looks up the key a token names; errors are heartbeat's texts.
Result<const conf::AuthKey*> key_for(const std::optional<AuthToken>& token,
                                     const conf::AuthKeys& keys,
                                     std::string_view raw_token) {
  if (!token) return Error{"Invalid authentication [" + printable(raw_token) + "] in message!"};
  const conf::AuthKey* key = keys.find(token->key_id);
  if (key == nullptr)
    return Error{"Invalid authentication [" + std::to_string(token->key_id) + "] in message!"};
  return key;
}

// The classic `auth` field check, shared by both encodings. Returns the key
// id it used.
Result<int> verify_classic_signature(const Decoded& decoded, const conf::AuthKeys& keys) {
  if (!decoded.message.has(kAuthField)) return node_failed(decoded);
  const auto token = parse_auth_token(decoded.auth_field);
  auto key = key_for(token, keys, decoded.auth_field);
  if (!key) return key.error();
  const std::string expected = compute_signature(
      (*key)->method, (*key)->key.view(), internal::classic_signing_text(decoded.message));
  if (!signatures_equal(expected, token->signature)) return node_failed(decoded);
  return token->key_id;
}

bool has_nested_fields(const Message& message) {
  for (const Field& field : message.fields())
    if (field.type != FieldType::kString && field.type != FieldType::kBinary) return true;
  return false;
}

}  // namespace

Result<VerifiedMessage> verify(const Decoded& decoded, const conf::AuthKeys& keys) {
  VerifiedMessage verified;
  verified.encoding = decoded.encoding;
  if (decoded.encoding == Encoding::kNetstring) {
    const auto token = parse_auth_token(decoded.trailer);
    auto key = key_for(token, keys, decoded.trailer);
    if (!key) return key.error();
    const std::string expected =
        compute_signature((*key)->method, (*key)->key.view(), decoded.signed_span);
    if (!signatures_equal(expected, token->signature))
      return Error{"authtoken does not match, authtoken=" + printable(decoded.trailer)};
    // Nested fields of a netstring packet are nested netstrings; their
    // classic form (which the inner signature covers) would have to be
    // rebuilt. v1 never sends them, so such a packet fails closed.
    if (has_nested_fields(decoded.message))
      return Error{"netstring packet with nested fields from node [" +
                   printable(decoded.message.get_or("src", "")) + "] not supported"};
    verified.key_id = token->key_id;
    if (auto inner = verify_classic_signature(decoded, keys); !inner) return inner.error();
  } else {
    auto inner = verify_classic_signature(decoded, keys);
    if (!inner) return inner.error();
    verified.key_id = *inner;
  }
  verified.message = decoded.message;
  verified.message.remove(kAuthField);
  return verified;
}

}  // namespace vigil::wire
