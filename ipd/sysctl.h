// The two per-interface kernel settings ipd looks at, under /proc/sys/net
// of ipd's own network namespace.
#pragma once

#include <string_view>

#include "common/result.h"

namespace vigil::ipd {

// net.ipv6.conf.IF.forwarding: whether unsolicited NAs carry the router
// flag (na_frame.h). False when it cannot be read.
bool ipv6_forwarding(std::string_view ifname);

// Sets net.ipv4.conf.IF.promote_secondaries = 1 so that removing a VIP
// that happens to be the primary address of its subnet promotes the next
// address instead of deleting every secondary with it (the FAQ's "loses
// the whole interface", heartbeat-compat.md §9 item 4).
Status enable_promote_secondaries(std::string_view ifname);

}  // namespace vigil::ipd
