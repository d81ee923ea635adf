// Internal to the wire library; callers use codec.h.
#pragma once

#include <string>
#include <string_view>

#include "heartbeatd/wire/codec.h"

namespace vigil::wire::internal {

// `datagram` starts with kClassicBegin and is within kMaxDatagramBytes.
Result<Decoded> decode_classic(std::string_view datagram);
Result<std::string> encode_classic(Message message, const conf::AuthKey& key);

}  // namespace vigil::wire::internal
