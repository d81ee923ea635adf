// haresources -> resource groups (heartbeat-compat.md §3.1): one logical
// line per group, `NODE RESOURCE...`; `#` starts a comment anywhere; a line
// ending in `\` continues on the next. The node is lower-cased and must be
// a node of ha.cf; the first resource is the group key and must be unique.
// Resource tokens: `name`, `name::a::b`, an IPv4 short form (-> IPaddr),
// `IPaddr::`, `IPaddr2::` (both take NIC:label, ip_spec.h) and `IPv6addr::`, whose
// IpSpec is filled and validated here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "conf/config.h"
#include "conf/diagnostics.h"

namespace vigil::conf {

// `nodes`: the lower-cased node names of ha.cf, or nullptr to skip the node
// check (ha.cf could not be read). Errors and warnings go to `diag`; the
// groups returned are those that parsed.
std::vector<ResourceGroup> parse_haresources(std::string_view text, std::string_view file,
                                             const std::vector<std::string>* nodes,
                                             Diagnostics& diag);

// One resource token, as written. The error text has no place in front;
// `warnings`, when given, receives what heartbeat accepts but ignores.
Result<Resource> parse_resource(std::string_view token,
                                std::vector<std::string>* warnings = nullptr);

}  // namespace vigil::conf
