// The rules both helpers' permit machines share (ipd/server_permits.h,
// resourced/server_permits.h): Hello comes first and only once, with the
// helper's own configuration hash and a lease in bounds; a Lease comes only
// after it; a request only after it and with the same hash. Anything else
// is a violation that closes the connection (style.md).
//
// Templates over the helper's own verdict type, which has Kind::kGreet,
// Kind::kLease and Kind::kClose and the fields `lease_ms` and `why`; what
// a helper permits beyond these is its own (which places, which kinds).
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "common/proto/helper_common.h"

namespace vigil::proto {

template <class Permit>
Permit close_because(std::string why) {
  Permit v;
  v.kind = Permit::Kind::kClose;
  v.why = std::move(why);
  return v;
}

// Sets `greeted` when the Hello is permitted.
template <class Permit>
Permit permit_hello(bool& greeted, const std::string& our_hash, const Hello& hello) {
  if (greeted) return close_because<Permit>("a second Hello on the same connection");
  if (hello.config_hash != our_hash)
    return close_because<Permit>(
        fmt::format("Hello with configuration hash {}, ours is {}", hello.config_hash, our_hash));
  if (Status s = check_lease(hello.lease_ms); !s)
    return close_because<Permit>("Hello: " + s.error().message);
  greeted = true;
  Permit v;
  v.kind = Permit::Kind::kGreet;
  v.lease_ms = hello.lease_ms;
  return v;
}

template <class Permit>
Permit permit_lease(bool greeted, const Lease& lease) {
  if (!greeted) return close_because<Permit>("Lease before Hello");
  if (Status s = check_lease(lease.lease_ms); !s)
    return close_because<Permit>("Lease: " + s.error().message);
  Permit v;
  v.kind = Permit::Kind::kLease;
  v.lease_ms = lease.lease_ms;
  return v;
}

// Why the request `what` (its message name) `request_id` carrying
// `config_hash` may not be acted on ("" if it may, as far as these rules
// go): before Hello, or another configuration's hash.
inline std::string request_violation(bool greeted, const std::string& our_hash,
                                     std::string_view what, std::uint32_t request_id,
                                     const std::string& config_hash) {
  if (!greeted) return fmt::format("{} before Hello", what);
  if (config_hash != our_hash)
    return fmt::format("{} {} with configuration hash {}, ours is {}", what, request_id,
                       config_hash, our_hash);
  return {};
}

}  // namespace vigil::proto
