// Decoding and encoding of heartbeat 3.0.x cluster messages, both wire
// encodings (heartbeat-compat.md §5.2, §5.3; the byte layout is in
// wire_format.h).
//
// decode() only splits a datagram into fields, within the hard bounds of
// wire_format.h; it interprets nothing (no `t`, no `seq`) and trusts
// nothing. The result must go through verify() (verify.h) before anyone
// looks at a field.
//
// encode_netstring() is what Debian 12 heartbeat puts on UDP and vigil's
// default; encode_classic() is for serial links and pre-2.0 peers.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "conf/config.h"
#include "heartbeatd/wire/message.h"

namespace vigil::wire {

enum class Encoding { kClassic, kNetstring };

struct Decoded {
  // Every field in received order, the `auth` field included. Binary
  // fields hold raw bytes (classic base64 undone); string fields of the
  // classic encoding have 0x13 mapped back to '\n'; struct/list/compressed
  // fields hold their encoded bytes, uninterpreted.
  Message message;
  Encoding encoding = Encoding::kClassic;
  // The value of the classic `auth` field, "" when the message has none.
  std::string auth_field;
  // Netstring only: the trailer token (`<keyid> <hex>`), and the exact
  // bytes it signs — from "###\n" through "%%%\n" inclusive (§5.5).
  std::string trailer;
  std::string signed_span;
};

// Splits one datagram. Errors say what is malformed, for log_badpack.
// Accepts a classic datagram with or without heartbeat's trailing NUL; a
// netstring datagram must end exactly after its trailer.
Result<Decoded> decode(std::string_view datagram);

// Both encoders first sign `message` the classic way and put the result in
// an `auth` field as the last field (an existing `auth` field is removed),
// as heartbeat does (§5.3, §5.4). encode_netstring then appends the trailer
// signed with the same key. encode_classic ends with the NUL heartbeat
// writes (§5.1).
//
// Errors: an empty or oversized name, a name containing '=', '\n', ',' or
// NUL, an empty value (heartbeat cannot parse them, §5.2), a value of a
// string field containing NUL or 0x13, nested fields (v1 never
// sends them), more than kMaxFields fields, a result over
// kMaxDatagramBytes.
Result<std::string> encode_netstring(Message message, const conf::AuthKey& key);
Result<std::string> encode_classic(Message message, const conf::AuthKey& key);

}  // namespace vigil::wire
