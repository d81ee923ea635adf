// The byte-level facts of heartbeat 3.0.x's two message encodings, as named
// constants (heartbeat-compat.md §5.1–§5.3). The codec (codec.h) is the only
// user; other modules work with wire::Message.
//
// Classic ("NVpair"):            Netstring (what Debian 12 heartbeat sends):
//   >>>\n                          ###\n
//   name=value\n                   <len>:(<t>)name=value,   (per field)
//   (1)name=<base64>\n             %%%\n
//   auth=<id> <hex>\n              <len>:<id> <hex>,        (trailer)
//   <<<\n  [\0]
//
// The bounds below are vigil's, not heartbeat's: every byte of a datagram is
// hostile until its signature verifies, so the parser refuses anything
// larger than a real v1 message could be, before allocating for it.
#pragma once

#include <cstddef>
#include <string_view>

namespace vigil::wire {

// heartbeat's MAXMSG (§5.1). Larger datagrams are rejected unread.
inline constexpr std::size_t kMaxDatagramBytes = 256 * 1024;

// The largest v1 message (a status with every control field) has 12 fields;
// `repnodes` with a long node list still has fewer than 10. 256 leaves room
// for API-client messages without letting a datagram of tiny fields become
// thousands of allocations.
inline constexpr std::size_t kMaxFields = 256;

// Field names in heartbeat are short identifiers (`t`, `srcuuid`,
// `rsc_hold`); 64 bytes is generous.
inline constexpr std::size_t kMaxNameBytes = 64;

// A single value may not exceed what fits in a datagram anyway; kept
// explicit so the bound is visible where it is checked.
inline constexpr std::size_t kMaxValueBytes = kMaxDatagramBytes;

// Netstring lengths: decimal, no sign, no leading zero, at most this many
// digits (262144 has 6), so the value can never overflow.
inline constexpr std::size_t kMaxLengthDigits = 6;

// Classic framing.
inline constexpr std::string_view kClassicBegin = ">>>\n";
inline constexpr std::string_view kClassicEndLine = "<<<";  // line content
// Heartbeat writes a '\n' inside a string value as this byte and maps it
// back on input (§5.2).
inline constexpr char kClassicNewlineSubstitute = '\x13';

// Netstring framing.
inline constexpr std::string_view kNetstringBegin = "###\n";
inline constexpr std::string_view kNetstringEnd = "%%%\n";

// The field that carries the classic signature (§5.4, §5.5).
inline constexpr std::string_view kAuthField = "auth";

}  // namespace vigil::wire
