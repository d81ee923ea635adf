#include "heartbeatd/wire/codec.h"

#include "heartbeatd/wire/classic_codec.h"
#include "heartbeatd/wire/netstring_codec.h"
#include "heartbeatd/wire/wire_format.h"

namespace vigil::wire {

Result<Decoded> decode(std::string_view datagram) {
  if (datagram.size() > kMaxDatagramBytes)
    return Error{"packet larger than " + std::to_string(kMaxDatagramBytes) + " bytes"};
  // §5.3: receivers dispatch on the first four bytes.
  if (datagram.starts_with(kNetstringBegin)) return internal::decode_netstring(datagram);
  if (datagram.starts_with(kClassicBegin)) return internal::decode_classic(datagram);
  return Error{"packet is neither classic nor netstring"};
}

Result<std::string> encode_netstring(Message message, const conf::AuthKey& key) {
  return internal::encode_netstring(std::move(message), key);
}

Result<std::string> encode_classic(Message message, const conf::AuthKey& key) {
  return internal::encode_classic(std::move(message), key);
}

}  // namespace vigil::wire
