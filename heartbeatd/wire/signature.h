// Message signatures: the hex strings heartbeat writes after the key id in
// an `auth` field or a netstring trailer (heartbeat-compat.md §4.3).
//
//   crc     CRC-32/POSIX without length, `%lx` (no leading zeros), no key
//   md5     HMAC-MD5 (nettle), 32 hex digits
//   sha1    HMAC-SHA1 (nettle), 40 hex digits
//   sha256  HMAC-SHA256 (libsodium), 64 hex digits — vigil only; a real
//           heartbeat peer cannot verify it
//
// Keys are used byte for byte as written in authkeys, of any length (HMAC
// hashes keys longer than the block size, RFC 2104).
#pragma once

#include <string>
#include <string_view>

#include "conf/config.h"

namespace vigil::wire {

// Lowercase hex signature of `data`.
std::string compute_signature(conf::AuthMethod method, std::string_view key,
                              std::string_view data);

// Equality of two signatures in time independent of where they differ
// (sodium_memcmp). Different lengths compare unequal at once: the length
// of a signature is public.
bool signatures_equal(std::string_view a, std::string_view b);

}  // namespace vigil::wire
