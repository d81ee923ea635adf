// heartbeatd's metrics in the Prometheus text exposition format (0.0.4),
// for `vigilctl metrics` (node_exporter's textfile collector) and
// vigil-exporter's /metrics. Pure: the caller gathers the inputs.
//
// Names follow Prometheus' conventions: `vigil_` prefix, base units in the
// name (`_seconds`), counters end in `_total`, states as one series per
// state valued 0 or 1. Every family has its HELP and TYPE lines; families
// with no series are left out (e.g. the last takeover before there was
// one). The list, with labels, is in packaging/man/vigil-metrics.7; the
// golden test tests/observe/metrics/ pins the text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/proto/control_messages.h"
#include "heartbeatd/core/snapshot.h"
#include "heartbeatd/observe/event_timeline.h"
#include "heartbeatd/observe/failover_timeline.h"

namespace vigil::observe {

struct HelperMetrics {
  std::string name;  // "ipd" / "resourced"
  bool connected = false;
  double lease_seconds = 0;  // the lease heartbeatd asks for
  // How long the helper keeps our resources if we stay away: the whole
  // lease while connected, what is left of it once the connection is lost,
  // 0 before the first connection.
  double lease_remaining_seconds = 0;
};

// One checked resource (issue 16, heartbeatd/engine/health_monitor.h).
struct ResourceHealthMetrics {
  std::string group;
  std::string resource;
  bool last_failed = false;  // the last check failed or timed out
  int in_a_row = 0;          // failed checks in a row
  int failures = 0;          // confirmed failures still counted
  std::uint64_t checks = 0, failed_checks = 0, restarts = 0;
};

struct MetricsInput {
  std::string version;
  const proto::control::StatusReply& status;     // nodes, links, groups, counters
  const core::Snapshot& snapshot;                // per-peer details and counters
  const EventTimeline& timeline;                 // event and transition counts
  const std::optional<Failover>& last_takeover;  // the last complete one
  std::vector<HelperMetrics> helpers;            // the helpers heartbeatd uses
  // Resource health; empty (no families) unless vigil.cf's health_check.
  std::vector<ResourceHealthMetrics> health = {};
  bool maintenance = false;  // `vigilctl maintenance on` for every group
};

std::string render_metrics(const MetricsInput& in);

// A label value escaped as the format requires (\\, \", \n).
std::string escape_label(std::string_view value);

}  // namespace vigil::observe
