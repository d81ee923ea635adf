// The base64 heartbeat uses for binary fields in the classic encoding
// (heartbeat-compat.md §5.2): standard alphabet, '=' padding. libsodium
// does the work.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigil::wire {

std::string base64_encode(std::string_view bytes);
// Strict: rejects characters outside the alphabet, missing padding and
// trailing bytes.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace vigil::wire
