// Authentication of a decoded message against the keys of authkeys
// (heartbeat-compat.md §4.3, §5.5). The only way from a Decoded to a
// Message the rest of heartbeatd may look at.
//
// Classic packets: the `auth` field must name a configured key and match
// the classic signature over the other fields in received order.
//
// Netstring packets: the trailer must name a configured key and match the
// signature over the bytes "###\n" … "%%%\n"; AND the embedded `auth` field
// must be present and valid too. Real heartbeat checks only the trailer;
// a packet with a good trailer and a forged `auth` field was measured to
// set off a retransmit storm between two heartbeat nodes (§5.5). Every
// 3.0.x sender writes both correctly, so checking both costs no
// interoperability. The two may name different configured keys.
//
// Either key id may be any configured one, not only the active one (§4.2).
// Signatures are compared in constant time.
#pragma once

#include "common/result.h"
#include "conf/config.h"
#include "heartbeatd/wire/codec.h"
#include "heartbeatd/wire/message.h"

namespace vigil::wire {

struct VerifiedMessage {
  Message message;  // the fields as received, without `auth`
  Encoding encoding = Encoding::kClassic;
  int key_id = 0;  // the key that verified it (the trailer's for netstring)
};

// On failure the error text is heartbeat's log text for the case where it
// has one (§5.5), for the I/O layer to log when log_badpack is on:
//   Invalid authentication [<id>] in message!
//   string2msg_ll: node [<src>] failed authentication
//   authtoken does not match, authtoken=<received trailer>
// `<src>` is the unverified `src` field, reduced to printable ASCII and
// truncated, so a forged packet cannot inject text into the log. The
// signature the packet should have carried is never included: logging it
// would hand whoever reads the log a valid signature for a message of the
// attacker's choosing.
Result<VerifiedMessage> verify(const Decoded& decoded, const conf::AuthKeys& keys);

}  // namespace vigil::wire
