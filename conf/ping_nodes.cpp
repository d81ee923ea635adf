#include "conf/ping_nodes.h"

#include <algorithm>

namespace vigil::conf {

std::string_view PingNode::info() const {
  switch (kind) {
    case MediumKind::kPing6:
      return "ping6";
    case MediumKind::kPingGroup:
      return "ping_group";
    default:
      return "ping";
  }
}

std::vector<PingNode> ping_nodes(const HaCf& cf) {
  std::vector<PingNode> out;
  for (const Medium& m : cf.media) {
    PingNode p;
    p.kind = m.kind;
    if (m.kind == MediumKind::kPing || m.kind == MediumKind::kPing6) {
      p.name = m.address;
      p.targets = {m.address};
    } else if (m.kind == MediumKind::kPingGroup) {
      p.name = m.group_name;
      p.targets = m.hosts;
    } else {
      continue;
    }
    const bool known =
        std::any_of(out.begin(), out.end(), [&](const PingNode& q) { return q.name == p.name; });
    if (!known) out.push_back(std::move(p));
  }
  return out;
}

}  // namespace vigil::conf
