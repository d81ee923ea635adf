#include "vigilctl/status_render.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

namespace vigil::ctl {

namespace ctlmsg = proto::control;

namespace {

using Row = std::vector<std::string>;

// Left-aligned columns two spaces apart; the last column is not padded.
std::string columns(const std::vector<Row>& rows) {
  std::vector<std::size_t> width;
  for (const auto& r : rows) {
    if (width.size() < r.size()) width.resize(r.size(), 0);
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line += std::string(width[i] - r[i].size() + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

std::string links_text(const ctlmsg::NodeInfo& n) {
  if (n.links.empty()) return "-";
  std::string s;
  for (const auto& l : n.links) {
    if (!s.empty()) s += ", ";
    s += fmt::format("{} {}", l.name, l.up ? "up" : "dead");
  }
  return s;
}

}  // namespace

std::string render_status_table(const ctlmsg::StatusReply& st) {
  std::string out;
  // Loud, first, until it is turned off (issue 16): a cluster left in
  // maintenance restarts and moves nothing on a failure.
  if (st.maintenance_all)
    out +=
        "*** MAINTENANCE ON for every group: no resource checks, restarts, give-ups or "
        "takeovers (not even for a dead peer) until `vigilctl maintenance off` ***\n";
  for (const auto& g : st.maintenance_groups)
    out += fmt::format(
        "*** MAINTENANCE ON for group {}: no resource checks, restarts, give-ups or "
        "takeovers (not even for a dead peer) until `vigilctl maintenance off {}` ***\n",
        g, g);
  for (const auto& h : st.held_back)
    out += fmt::format(
        "*** NOT TAKEN OVER: group {} of dead node {} (maintenance); maintenance off takes it "
        "over ***\n",
        h.group, h.dead_node);
  out +=
      fmt::format("Local node: {} ({}), holding {} resources\n\n", st.local_node,
                  ctlmsg::node_status_word(st.local_status), ctlmsg::rscstatus_word(st.rscstatus));
  std::vector<Row> nodes{{"NODE", "TYPE", "STATUS", "LINKS"}};
  for (const auto& n : st.nodes)
    nodes.push_back({n.name, std::string(ctlmsg::node_type_word(n.type)),
                     std::string(ctlmsg::node_status_word(n.status)), links_text(n)});
  out += columns(nodes);
  if (st.quorum.corosync) {
    std::string members;
    for (const auto& m : st.quorum.members) members += (members.empty() ? "" : " ") + m;
    out += fmt::format("Membership: corosync, {}; members: {}\n",
                       st.quorum.quorate ? "quorate" : "NOT QUORATE (no group is held here)",
                       members.empty() ? "none" : members);
  }
  for (const auto& peer : st.config_mismatches())
    out += fmt::format(
        "WARNING: {}'s configuration differs from this node's (haresources or timers; "
        "digest {} here, {} there): compare `vigilctl check-config` on both\n",
        peer, st.config_digest, st.node(peer)->config_digest);
  out += "\n";
  if (st.groups.empty()) {
    out += "No resource groups in haresources.\n";
  } else {
    std::vector<Row> groups{{"GROUP", "HOME", "OWNER", "STATE"}};
    for (const auto& g : st.groups)
      groups.push_back(
          {g.key, g.home_node, g.owner, std::string(ctlmsg::group_state_word(g.state))});
    out += columns(groups);
    if (!st.resource_management)
      out += "(resource management not active yet: owner and state unknown)\n";
  }
  if (!st.resource_health.empty()) {
    std::vector<Row> rows{{"RESOURCE", "GROUP", "LAST CHECK", "RESULT", "FAILS", "DECAYS IN"}};
    for (const auto& h : st.resource_health)
      rows.push_back(
          {h.resource, h.group,
           h.last == ctlmsg::ResourceHealthInfo::Result::kNone
               ? std::string("-")
               : fmt::format("{:.1f} s ago", static_cast<double>(h.last_check_ago_ms) / 1000.0),
           std::string(ctlmsg::check_result_word(h.last)),
           fmt::format("{} ({} in a row)", h.failures, h.in_a_row),
           h.decays ? fmt::format("{:.0f} s", static_cast<double>(h.decays_in_ms) / 1000.0)
                    : std::string("-")});
    out += "\n" + columns(rows);
    for (const auto& h : st.resource_health)
      if (!h.detail.empty() && h.last != ctlmsg::ResourceHealthInfo::Result::kPassed)
        out += fmt::format("  {}: {}\n", h.resource, h.detail);
  }
  const auto& c = st.counters;
  out += fmt::format(
      "\nPackets: {} accepted, {} malformed, {} unauthenticated, {} replayed, {} lost, "
      "{} retransmissions requested, {} from unknown nodes\n",
      c.accepted, c.malformed, c.unauthenticated, c.replay_drops, c.lost_packets,
      c.rexmit_requests_sent, c.unknown_node_drops);
  return out;
}

std::string render_status_json(const ctlmsg::StatusReply& st, const Health* health) {
  using Json = nlohmann::ordered_json;
  Json j;
  j["local_node"] = st.local_node;
  j["local_status"] = ctlmsg::node_status_word(st.local_status);
  j["rscstatus"] = ctlmsg::rscstatus_word(st.rscstatus);
  j["resource_management"] = st.resource_management;
  Json nodes = Json::array();
  for (const auto& n : st.nodes) {
    Json links = Json::array();
    for (const auto& l : n.links)
      links.push_back({{"name", l.name}, {"status", l.up ? "up" : "dead"}});
    nodes.push_back(
        {{"name", n.name},
         {"type", ctlmsg::node_type_word(n.type)},
         {"status", ctlmsg::node_status_word(n.status)},
         {"links", std::move(links)},
         {"config_digest", n.config_digest.empty() ? Json(nullptr) : Json(n.config_digest)},
         {"config_matches",
          n.config_digest.empty() ? Json(nullptr) : Json(n.config_digest == st.config_digest)}});
  }
  j["nodes"] = std::move(nodes);
  j["quorum"] = {{"backend", st.quorum.corosync ? "corosync" : "heartbeat"},
                 {"quorate", st.quorum.quorate},
                 {"members", st.quorum.members}};
  j["config_digest"] = st.config_digest;
  j["config_mismatches"] = st.config_mismatches();
  Json groups = Json::array();
  for (const auto& g : st.groups)
    groups.push_back({{"key", g.key},
                      {"home_node", g.home_node},
                      {"owner", g.owner},
                      {"state", ctlmsg::group_state_word(g.state)}});
  j["groups"] = std::move(groups);
  const auto& c = st.counters;
  j["counters"] = {{"accepted", c.accepted},
                   {"malformed", c.malformed},
                   {"unauthenticated", c.unauthenticated},
                   {"replay_drops", c.replay_drops},
                   {"lost_packets", c.lost_packets},
                   {"rexmit_requests_sent", c.rexmit_requests_sent},
                   {"unknown_node_drops", c.unknown_node_drops},
                   {"unreadable", c.unreadable}};
  Json sources = Json::array();
  for (const auto& b : st.bad_packet_sources)
    sources.push_back({{"address", b.address},
                       {"malformed", b.malformed},
                       {"unauthenticated", b.unauthenticated},
                       {"unreadable", b.unreadable}});
  j["bad_packet_sources"] = std::move(sources);
  if (st.health_check) {
    Json held_back = Json::array();
    for (const auto& h : st.held_back)
      held_back.push_back({{"group", h.group}, {"dead_node", h.dead_node}});
    j["maintenance"] = {{"all", st.maintenance_all},
                        {"groups", st.maintenance_groups},
                        {"held_back", std::move(held_back)}};
    Json checked = Json::array();
    for (const auto& h : st.resource_health)
      checked.push_back(
          {{"resource", h.resource},
           {"group", h.group},
           {"last_check_seconds_ago",
            h.last == ctlmsg::ResourceHealthInfo::Result::kNone
                ? Json(nullptr)
                : Json(static_cast<double>(h.last_check_ago_ms) / 1000.0)},
           {"result", ctlmsg::check_result_word(h.last)},
           {"detail", h.detail},
           {"failed_in_a_row", h.in_a_row},
           {"fail_count", h.failures},
           {"decays_in_seconds",
            h.decays ? Json(static_cast<double>(h.decays_in_ms) / 1000.0) : Json(nullptr)}});
    j["resource_health"] = std::move(checked);
  }
  if (health != nullptr) j["health"] = {{"state", health->state}, {"problems", health->problems}};
  return j.dump(2) + "\n";
}

}  // namespace vigil::ctl
