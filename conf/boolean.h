// heartbeat's booleans (heartbeat-compat.md §2.3), case-insensitive:
// true = `true on yes y 1`, false = `false off no n 0`.
#pragma once

#include <optional>
#include <string_view>

namespace vigil::conf {

std::optional<bool> parse_boolean(std::string_view text);

// The printed form: "on" / "off".
inline const char* format_boolean(bool b) { return b ? "on" : "off"; }

}  // namespace vigil::conf
