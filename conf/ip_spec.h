// The argument of heartbeat's IP resources, read exactly as heartbeat's
// resource.d wrappers read it (heartbeat-compat.md §3.1; the wrappers are
// /etc/ha.d/resource.d/IPaddr, IPaddr2 and IPv6addr of heartbeat 3.0.6):
//
//   IPaddr, IPaddr2   IP[/NETMASK[/NIC[/BROADCAST]]]. The wrappers strip
//                     every '/' after a field with sed `s%^FIELD/*%%`, so
//                     runs of '/' count as one: `IP//8/eth0` is netmask 8 on
//                     eth0, and `IP//eth0` makes "eth0" the netmask (which
//                     the agent refuses: an error here). A third field that
//                     starts with a digit is the broadcast (no NIC). Fields
//                     after the broadcast are ignored (a warning).
//                     NETMASK is a prefix length or a dotted netmask.
//                     NIC may be NIC:label. IPaddr2 gives the address that
//                     label; IPaddr's agent drops it and labels the address
//                     with the first free alias NIC:N, as it always does
//                     (a warning says so).
//   IPv6addr          IP6[/PREFIX[/NIC]]; the wrapper skips only one '/'
//                     before PREFIX, then every '/' after it: `IP6//eth0`
//                     is eth0 with no prefix, `IP6/64//eth0` is eth0.
//
// What is not written stays unset, for ipd to compute from the interfaces
// (findif).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "conf/config.h"

namespace vigil::conf {

enum class IpResource { kIpAddr, kIpAddr2, kIPv6addr };

// The error text says what is wrong and what was expected, without a place.
// `warnings`, when given, receives what heartbeat would also have accepted
// but silently ignored.
Result<IpSpec> parse_ip_spec(std::string_view arg, IpResource kind,
                             std::vector<std::string>* warnings = nullptr);

// heartbeat's shorthand test (ResourceManager `ipres`): the shell glob
// [0-9]*.[0-9]*.[0-9]*.[0-9]* — starts with a digit, then three dots each
// followed by a digit. Such a token means IPaddr::<token>.
bool looks_like_ipv4_resource(std::string_view token);

// The argument text of an IpSpec, in the grammar above (for printing).
std::string format_ip_spec(const IpSpec& ip);

}  // namespace vigil::conf
