// Internal to the wire library; callers use codec.h.
#pragma once

#include <string>
#include <string_view>

#include "heartbeatd/wire/codec.h"

namespace vigil::wire::internal {

// `datagram` starts with kNetstringBegin and is within kMaxDatagramBytes.
Result<Decoded> decode_netstring(std::string_view datagram);
Result<std::string> encode_netstring(Message message, const conf::AuthKey& key);

}  // namespace vigil::wire::internal
