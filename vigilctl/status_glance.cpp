#include "vigilctl/status_glance.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <set>

namespace vigil::ctl {

namespace {

namespace msg = proto::control;

const std::set<std::string, std::less<>> kNodeChanges = {"node-status", "node-dead", "node-restart",
                                                         "partition-healed"};
const std::set<std::string, std::less<>> kGroupChanges = {"group-acquire", "group-release",
                                                          "group-start-failed", "step-finished"};

std::string ago(std::int64_t seconds) {
  if (seconds < 120) return fmt::format("{} s ago", seconds);
  if (seconds < 7200) return fmt::format("{} min ago", seconds / 60);
  if (seconds < 172800) return fmt::format("{} h ago", seconds / 3600);
  return fmt::format("{} days ago", seconds / 86400);
}

}  // namespace

Health assess(const msg::StatusReply& st) {
  Health h;
  bool failing = false;
  if (st.local_status != msg::NodeStatus::kActive)
    h.problems.push_back(fmt::format("this node ({}) is {}, not active yet", st.local_node,
                                     msg::node_status_word(st.local_status)));
  // Not failing by itself: the quorate partition serves the groups.
  if (st.quorum.corosync && !st.quorum.quorate)
    h.problems.push_back("this node has no quorum (corosync): it holds no group");
  for (const auto& n : st.nodes) {
    if (n.type == msg::NodeType::kPing) {
      if (n.status == msg::NodeStatus::kDead)
        h.problems.push_back(fmt::format("ping node {} unreachable", n.name));
      continue;
    }
    if (n.status == msg::NodeStatus::kDead) {
      h.problems.push_back(fmt::format("node {} is dead", n.name));
      continue;
    }
    for (const auto& l : n.links)
      if (!l.up) h.problems.push_back(fmt::format("link {}:{} is dead", n.name, l.name));
  }
  if (!st.groups.empty() && !st.resource_management)
    h.problems.push_back("resource management not active yet: owners unknown");
  for (const auto& g : st.groups) {
    if (g.state == msg::GroupState::kFailed || g.state == msg::GroupState::kStopFailed) {
      failing = true;
      h.problems.push_back(
          fmt::format("group {} {} here", g.key,
                      g.state == msg::GroupState::kFailed ? "failed to start" : "failed to stop"));
    }
    if (!st.resource_management) continue;
    if (g.owner == "none") {
      failing = true;
      h.problems.push_back(fmt::format("group {} is held by nobody", g.key));
    } else if (g.owner == "transition") {
      h.problems.push_back(fmt::format("group {} is moving between nodes", g.key));
    }
  }
  for (const auto& peer : st.config_mismatches())
    h.problems.push_back(fmt::format("{}'s configuration differs from this node's", peer));
  h.state = failing ? "failing" : h.problems.empty() ? "healthy" : "degraded";
  return h;
}

Since since_from(std::span<const msg::TimelineEvent> events) {
  Since s;
  for (const auto& e : events) {
    if (!e.node.empty() && kNodeChanges.contains(e.event)) s.nodes[e.node] = e.wall_us;
    if (!e.group.empty() && kGroupChanges.contains(e.event)) s.groups[e.group] = e.wall_us;
  }
  return s;
}

std::string since_text(std::int64_t at_wall_us, std::int64_t now_wall_us) {
  const std::time_t secs = static_cast<std::time_t>(at_wall_us / 1000000);
  std::tm tm{};
  localtime_r(&secs, &tm);
  const std::int64_t elapsed = std::max<std::int64_t>(0, (now_wall_us - at_wall_us) / 1000000);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}, {}", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ago(elapsed));
}

std::string render_glance(const msg::StatusReply& st, const Health& health, const Since& since,
                          std::int64_t now_wall_us) {
  std::string out;
  if (health.problems.empty()) {
    out = "Health: healthy\n";
  } else {
    out = fmt::format("Health: {}, {} problem{}\n", health.state, health.problems.size(),
                      health.problems.size() == 1 ? "" : "s");
    for (const auto& p : health.problems) {
      std::string line = "  ! " + p;
      // A dead node: since when.
      for (const auto& n : st.nodes)
        if (p == fmt::format("node {} is dead", n.name))
          if (auto it = since.nodes.find(n.name); it != since.nodes.end())
            line += fmt::format(" (since {})", since_text(it->second, now_wall_us));
      out += line + "\n";
    }
  }
  if (!st.groups.empty()) out += "Groups:\n";
  for (const auto& g : st.groups) {
    std::string line;
    if (!st.resource_management)
      line = fmt::format("  {}: owner unknown yet", g.key);
    else if (g.owner == "none" || g.owner == "transition" || g.owner == "unknown")
      line = fmt::format("  {}: {}", g.key, g.owner == "none" ? "held by nobody" : g.owner);
    else if (g.owner == st.local_node)
      line =
          fmt::format("  {}: held here ({}), {}", g.key, g.owner, msg::group_state_word(g.state));
    else
      line = fmt::format("  {}: held by {}", g.key, g.owner);
    if (auto it = since.groups.find(g.key); it != since.groups.end())
      line += fmt::format(", since {}", since_text(it->second, now_wall_us));
    out += line + "\n";
  }
  return out;
}

}  // namespace vigil::ctl
