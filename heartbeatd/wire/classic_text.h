// Internal to the wire library: the classic one-line-per-field text of a
// message, which is both the classic encoding's body and the data of the
// classic signature (heartbeat-compat.md §5.2, §5.5).
#pragma once

#include <string>

#include "common/result.h"
#include "conf/config.h"
#include "heartbeatd/wire/message.h"

namespace vigil::wire::internal {

// Appends `name=value\n` (string fields, '\n' written as 0x13) or
// `(<type>)name=<base64>\n` (binary) or `(<type>)name=<raw>\n` (nested
// fields, which only a classic decode produces and which are carried
// through unchanged).
void append_classic_line(std::string& out, const Field& field);

// The text the classic signature covers: every field except `auth`, in
// message order.
std::string classic_signing_text(const Message& message);

// Checks that the encoders can write `message` (the rules in codec.h).
Status check_encodable(const Message& message);

// Removes any `auth` field and appends `auth=<id> <hex>` computed over
// classic_signing_text with `key`.
void add_classic_auth(Message& message, const conf::AuthKey& key);

}  // namespace vigil::wire::internal
