// Strict parsing and formatting of the numeric field values heartbeat puts
// on the wire (heartbeat-compat.md §5.4, §5.6, §5.9): `seq`, `hg`, `ts`,
// `dt`, `ackseq` and NS_nak_rexmit's `firstseq` are lowercase hex; `ttl`
// and NS_rexmit's `firstseq`/`lastseq` are decimal.
//
// The parsers accept only what heartbeat writes: one or more digits, no
// sign, no "0x", no whitespace, no trailing bytes, no overflow of uint64.
// Hex input may be upper- or lowercase (strtoul-compatible), output is
// always lowercase without leading zeros (`%lx`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::wire {

std::optional<std::uint64_t> parse_hex(std::string_view text);
std::optional<std::uint64_t> parse_decimal(std::string_view text);

std::string format_hex(std::uint64_t value);      // "1b58"
std::string format_decimal(std::uint64_t value);  // "7000"

}  // namespace vigil::wire
