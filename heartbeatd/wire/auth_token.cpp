#include "heartbeatd/wire/auth_token.h"

#include <cctype>

namespace vigil::wire {

std::optional<AuthToken> parse_auth_token(std::string_view text) {
  const std::size_t space = text.find(' ');
  if (space == std::string_view::npos || space == 0 || space > 2)
    return std::nullopt;
  // No leading zero: "03" would be a second spelling of a signed token.
  if (space == 2 && text[0] == '0') return std::nullopt;
  int id = 0;
  for (char c : text.substr(0, space)) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + (c - '0');
  }
  const std::string_view hex = text.substr(space + 1);
  if (hex.empty() || hex.size() > kMaxSignatureHexBytes) return std::nullopt;
  for (char c : hex)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
  return AuthToken{id, std::string(hex)};
}

std::string format_auth_token(int key_id, std::string_view signature) {
  std::string token = std::to_string(key_id);
  token += ' ';
  token += signature;
  return token;
}

}  // namespace vigil::wire
