// Small text helpers shared by the three parsers. ASCII only: the files
// heartbeat reads are ASCII, and locale-dependent classification would make
// a config valid on one machine and not on another.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::conf {

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string lower(std::string_view s);

// Splits on any character of `delims`, dropping empty pieces.
std::vector<std::string> split_any(std::string_view s, std::string_view delims);

// Strips leading and trailing blanks, CR, LF and FF.
std::string_view trim(std::string_view s);

// A decimal integer in [min, max], digits only (no sign, no blanks).
std::optional<long> parse_int(std::string_view s, long min, long max);

// Lines of a file, without their terminator ('\n', and a trailing '\r').
std::vector<std::string_view> split_lines(std::string_view text);

}  // namespace vigil::conf
