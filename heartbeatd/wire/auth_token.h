// The authentication token `<keyid> <hex>`: the value of the classic `auth`
// field and the body of the netstring trailer (heartbeat-compat.md §4.3,
// §5.5). Example: "1 ec71f00bea6647995967f0b85f4692653697407c".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigil::wire {

// authkeys allows key ids 0–15 (§4.2).
inline constexpr int kMaxKeyId = 15;
// The longest signature vigil produces (HMAC-SHA256, hex).
inline constexpr std::size_t kMaxSignatureHexBytes = 64;

struct AuthToken {
  int key_id = 0;
  std::string signature;  // lowercase hex as received, not validated further
};

// Strict: one or two decimal digits (no leading zero), one space, 1–64 hex digits. Returns
// nullopt for anything else. An out-of-range id with valid syntax parses;
// the caller reports it as an unknown key (§5.5 has a log line for that).
std::optional<AuthToken> parse_auth_token(std::string_view text);

std::string format_auth_token(int key_id, std::string_view signature);

}  // namespace vigil::wire
