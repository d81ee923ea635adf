// Every log line the membership core emits, in heartbeat 3.0.6's words
// (heartbeat-compat.md §5.7, §5.8, §6.1, §6.2 and the real logs in
// heartbeat-3.0.6-logs.txt), with its priority and journald fields
// (VIGIL_NODE, VIGIL_LINK, VIGIL_EVENT). One function per event, so the
// wording lives in one place and log watchers written for heartbeat keep
// matching.
#pragma once

#include <cstdint>
#include <string_view>

#include "heartbeatd/core/actions.h"

namespace vigil::core::texts {

Log local_status_now(std::string_view status);  // Local status now set to: 'up'
Log comm_now_up();                              // Comm_now_up(): updating status to active
Log status_update(std::string_view node, std::string_view status);
Log link_up(std::string_view node, std::string_view link);
Log link_dead(std::string_view node, std::string_view link);
Log node_dead(std::string_view node);  // WARN: node <node>: is dead
Log late_heartbeat(std::string_view node, std::uint64_t interval_ms);
Log late_heartbeat_past_deadtime(std::string_view node, std::uint64_t interval_ms);
Log bad_node(std::string_view src);
Log missing_seqno(std::string_view src, std::string_view type);
Log attempted_replay(std::string_view node, std::uint64_t gen, std::uint64_t curgen);
Log heartbeat_restart(std::string_view node);
Log lost_packets(std::string_view node, std::uint64_t count, std::uint64_t last, std::uint64_t seq);
Log lost_a_lot(std::string_view node);
Log no_pkts_missing(std::string_view node);
Log irretrievably_lost(std::string_view node, std::uint64_t seq);
Log cannot_rexmit(std::string_view node, std::uint64_t seq, std::string_view reason);
Log rexmit_above_max(std::uint64_t seq, std::uint64_t max);
// The five lines of a healed partition, in order (§5.8).
std::vector<Log> returning_after_partition(std::string_view node);

}  // namespace vigil::core::texts
