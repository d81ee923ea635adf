// The argument of heartbeat's IP resources (heartbeat-compat.md §3.1):
// IPaddr and IPaddr2 take `IP[/CIDRBITS[/NIC[/BROADCAST]]]` (a third field
// starting with a digit is the broadcast, no NIC); IPaddr2 also accepts
// `NIC:label`; IPv6addr takes `IP6[/PREFIX[/NIC]]`. What is not written stays
// unset, for ipd to compute from the interfaces (findif).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "conf/config.h"

namespace vigil::conf {

enum class IpResource { kIpAddr, kIpAddr2, kIPv6addr };

// The error text says what is wrong and what was expected, without a place.
// CIDRBITS may also be a dotted netmask (255.255.255.0), as the OCF IPaddr
// agents accept; it is stored as a prefix length.
Result<IpSpec> parse_ip_spec(std::string_view arg, IpResource kind);

// heartbeat's shorthand test (ResourceManager `ipres`): the shell glob
// [0-9]*.[0-9]*.[0-9]*.[0-9]* — starts with a digit, then three dots each
// followed by a digit. Such a token means IPaddr::<token>.
bool looks_like_ipv4_resource(std::string_view token);

// The argument text of an IpSpec, in the grammar above (for printing).
std::string format_ip_spec(const IpSpec& ip);

}  // namespace vigil::conf
