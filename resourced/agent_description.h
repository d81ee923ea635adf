// How a resource will run, in one line, for vigilctl check-config
// (issue 10 item 3) and resourced's log:
//
//   Filesystem::/dev/drbd0::/data::ext4 -> ocf:heartbeat:Filesystem device=/dev/drbd0
//   directory=/data fstype=ext4 mysql -> /etc/ha.d/resource.d/mysql start|stop|status 10.0.0.5/24
//   -> ipd IPaddr ip=10.0.0.5 cidr_netmask=24 label=NIC:N
//
// A value that is empty or holds a blank is quoted with '' (as a shell
// would need it). Pure.
#pragma once

#include <string>

#include "conf/config.h"
#include "resourced/agent.h"

namespace vigil::resourced {

// What follows "TOKEN -> " for a resolved agent.
std::string describe_agent_call(const AgentCall& call);

// What follows "TOKEN -> " for an IP resource (ipd manages it): the form
// and the parameters heartbeat's wrapper would have passed its agent, with
// the netmask as a prefix length and what ipd computes named as such.
std::string describe_ip_resource(const conf::Resource& resource);

}  // namespace vigil::resourced
