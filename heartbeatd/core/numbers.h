// The number formats of heartbeat's fields (heartbeat-compat.md §5.4, §5.9):
// `seq`, `hg`, `dt`, `ackseq`, NAK `firstseq` are lowercase hex; the
// `firstseq`/`lastseq` of NS_rexmit are decimal. Parsers are strict: digits
// only, no sign, no prefix, at most 16 hex / 19 decimal digits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::core {

std::optional<std::uint64_t> parse_hex(std::string_view text);
std::optional<std::uint64_t> parse_dec(std::string_view text);
std::string to_hex(std::uint64_t value);  // lowercase, no leading zeros
std::string to_dec(std::uint64_t value);

}  // namespace vigil::core
