// The ping nodes ha.cf names (heartbeat-compat.md §8.1): each `ping HOST`
// and `ping6 HOST` is one node named after its address, each
// `ping_group NAME HOST...` one node named NAME whose every member is
// probed. The membership core tracks them by name; the ICMP edge probes
// their targets.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "conf/config.h"

namespace vigil::conf {

struct PingNode {
  std::string name;                     // node name and link name (§6.1)
  MediumKind kind = MediumKind::kPing;  // kPing, kPing6 or kPingGroup
  std::vector<std::string> targets;     // the addresses probed (one unless a group)

  // The `info` field of the probe payload: the medium's name, as heartbeat's
  // plugin puts its own name there ("ping", "ping6", "ping_group").
  std::string_view info() const;

  bool operator==(const PingNode&) const = default;
};

// In ha.cf order; a name given twice is kept once (first wins).
std::vector<PingNode> ping_nodes(const HaCf& cf);

}  // namespace vigil::conf
