// What the transports need to know about a network interface named in
// ha.cf: its index and IPv4 address/broadcast address (SIOCGIF*), read once
// when the media start (heartbeat-compat.md §2.4 bcast: SIOCGIFBRDADDR).
#pragma once

#include <netinet/in.h>

#include <optional>
#include <string>

#include "common/result.h"

namespace vigil::io {

struct InterfaceInfo {
  std::string name;
  int index = 0;
  std::optional<in_addr> ipv4;       // SIOCGIFADDR, if it has one
  std::optional<in_addr> broadcast;  // SIOCGIFBRDADDR, if IFF_BROADCAST and set
};

// Errors: no such interface. A missing address is not an error here; the
// planner of the medium that needs it says so.
Result<InterfaceInfo> query_interface(const std::string& name);

}  // namespace vigil::io
