#include "heartbeatd/core/log_texts.h"

#include <fmt/format.h>

namespace vigil::core::texts {

namespace {

using log::Priority;

Log make(Priority p, std::string text, std::string_view event, std::string_view node = {},
         std::string_view link = {}) {
  Log l{p, std::move(text), {}};
  if (!node.empty()) l.fields.emplace_back("VIGIL_NODE", std::string(node));
  if (!link.empty()) l.fields.emplace_back("VIGIL_LINK", std::string(link));
  l.fields.emplace_back("VIGIL_EVENT", std::string(event));
  return l;
}

}  // namespace

Log local_status_now(std::string_view status) {
  return make(Priority::kInfo, fmt::format("Local status now set to: '{}'", status),
              "local-status");
}

Log comm_now_up() {
  return make(Priority::kInfo, "Comm_now_up(): updating status to active", "comm-up");
}

Log status_update(std::string_view node, std::string_view status) {
  return make(Priority::kInfo, fmt::format("Status update for node {}: status {}", node, status),
              "node-status", node);
}

Log link_up(std::string_view node, std::string_view link) {
  return make(Priority::kInfo, fmt::format("Link {}:{} up.", node, link), "link-up", node, link);
}

Log link_dead(std::string_view node, std::string_view link) {
  return make(Priority::kInfo, fmt::format("Link {}:{} dead.", node, link), "link-dead", node,
              link);
}

Log node_dead(std::string_view node) {
  return make(Priority::kWarn, fmt::format("node {}: is dead", node), "node-dead", node);
}

Log late_heartbeat(std::string_view node, std::uint64_t interval_ms) {
  return make(Priority::kWarn,
              fmt::format("Late heartbeat: Node {}: interval {} ms", node, interval_ms),
              "late-heartbeat", node);
}

Log late_heartbeat_past_deadtime(std::string_view node, std::uint64_t interval_ms) {
  return make(
      Priority::kCrit,
      fmt::format("Late heartbeat: Node {}: interval {} ms (> deadtime)", node, interval_ms),
      "late-heartbeat", node);
}

Log bad_node(std::string_view src) {
  return make(Priority::kError,
              fmt::format("process_status_message: bad node [{}] in message", src), "bad-node");
}

Log missing_seqno(std::string_view src, std::string_view type) {
  return make(
      Priority::kError,
      fmt::format("process_clustermsg: node [{}] message type [{}]: missing seqno", src, type),
      "bad-packet", src);
}

Log attempted_replay(std::string_view node, std::uint64_t gen, std::uint64_t curgen) {
  return make(
      Priority::kError,
      fmt::format("should_drop_message: attempted replay attack [{}]? [gen = {}, curgen = {}]",
                  node, gen, curgen),
      "replay", node);
}

Log heartbeat_restart(std::string_view node) {
  return make(Priority::kInfo, fmt::format("Heartbeat restart on node {}", node), "node-restart",
              node);
}

Log lost_packets(std::string_view node, std::uint64_t count, std::uint64_t last,
                 std::uint64_t seq) {
  return make(Priority::kWarn,
              fmt::format("{} lost packet(s) for [{}] [{}:{}]", count, node, last, seq),
              "lost-packets", node);
}

Log lost_a_lot(std::string_view node) {
  return make(Priority::kError, "lost a lot of packets!", "lost-packets", node);
}

Log no_pkts_missing(std::string_view node) {
  return make(Priority::kInfo, fmt::format("No pkts missing from {}!", node), "gaps-filled", node);
}

Log irretrievably_lost(std::string_view node, std::uint64_t seq) {
  return make(Priority::kError, fmt::format("Irretrievably lost packet: node {} seq {}", node, seq),
              "lost-packets", node);
}

Log cannot_rexmit(std::string_view node, std::uint64_t seq, std::string_view reason) {
  return make(Priority::kError, fmt::format("Cannot rexmit pkt {} for {}: {}", seq, node, reason),
              "rexmit-nak", node);
}

Log rexmit_above_max(std::uint64_t seq, std::uint64_t max) {
  return make(Priority::kWarn, fmt::format("Rexmit of seq {} requested. {} is max.", seq, max),
              "rexmit-above-max");
}

std::vector<Log> returning_after_partition(std::string_view node) {
  return {
      make(Priority::kCrit, fmt::format("Cluster node {} returning after partition.", node),
           "partition-healed", node),
      make(Priority::kInfo,
           "For information on cluster partitions, See URL: http://linux-ha.org/wiki/Split_Brain",
           "partition-healed", node),
      make(Priority::kWarn, "Deadtime value may be too small.", "partition-healed", node),
      make(Priority::kInfo, "See FAQ for information on tuning deadtime.", "partition-healed",
           node),
      make(Priority::kInfo, "URL: http://linux-ha.org/wiki/FAQ#Heavy_Load", "partition-healed",
           node),
  };
}

}  // namespace vigil::core::texts
