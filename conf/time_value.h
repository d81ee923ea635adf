// heartbeat's time syntax for ha.cf values (heartbeat-compat.md §2.2):
// `<number>[unit]`, the number decimal with an optional fraction (`1.5`),
// the unit case-insensitive: none = seconds, `ms`/`msec` = milliseconds,
// `us`/`usec` = microseconds. Rounded to the nearest millisecond
// (`499us` -> 0 ms, `500us` and `501us` -> 1 ms).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "conf/config.h"

namespace vigil::conf {

// nullopt for anything else: empty text, a sign, blanks, an unknown unit,
// or more than 9 integer digits (beyond 31 years; surely a typo).
std::optional<Millis> parse_time(std::string_view text);

// The printed form of a time: "1500ms". parse_time(format_time(t)) == t.
std::string format_time(Millis t);

}  // namespace vigil::conf
