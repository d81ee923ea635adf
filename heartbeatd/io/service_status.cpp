#include "heartbeatd/io/service_status.h"

#include <algorithm>
#include <cstddef>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace vigil::io {

namespace {

namespace ctl = proto::control;

std::size_t count_in(const ctl::StatusReply& status, ctl::GroupState state) {
  return static_cast<std::size_t>(
      std::count_if(status.groups.begin(), status.groups.end(),
                    [state](const ctl::GroupInfo& g) { return g.state == state; }));
}

std::string peers_text(const ctl::StatusReply& status) {
  std::vector<std::string> peers;
  for (const auto& n : status.nodes) {
    if (n.type != ctl::NodeType::kNormal || n.name == status.local_node) continue;
    peers.push_back(fmt::format("{} {}", n.name, ctl::node_status_word(n.status)));
  }
  return peers.empty() ? "none" : fmt::format("{}", fmt::join(peers, ", "));
}

std::string groups_text(const ctl::StatusReply& status) {
  if (status.groups.empty()) return "no resource groups";
  // Until the start-up survey has told heartbeatd what runs here, any
  // count would be a guess.
  if (!status.resource_management) return "groups: survey in progress";
  std::string text = fmt::format("groups held: {} of {}", count_in(status, ctl::GroupState::kRunning),
                                 status.groups.size());
  std::vector<std::string> busy;
  for (auto state : {ctl::GroupState::kStarting, ctl::GroupState::kStopping,
                     ctl::GroupState::kFailed, ctl::GroupState::kStopFailed}) {
    if (std::size_t n = count_in(status, state))
      busy.push_back(fmt::format("{} {}", n, ctl::group_state_word(state)));
  }
  if (!busy.empty()) text += fmt::format(" ({})", fmt::join(busy, ", "));
  return text;
}

}  // namespace

std::string service_status_line(const ctl::StatusReply& status) {
  return fmt::format("{} {}; peers: {}; {}", status.local_node,
                     ctl::node_status_word(status.local_status), peers_text(status),
                     groups_text(status));
}

}  // namespace vigil::io
