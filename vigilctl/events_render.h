// `vigilctl events` and `vigilctl events --last-failover`: pure renderings
// of heartbeatd's timeline events (common/proto/control_messages.h
// TimelineEvent) and of the last failover read out of them
// (heartbeatd/observe/failover_timeline.h). The JSON field names are an
// interface, documented in README.md beside this file.
#pragma once

#include <ctime>
#include <span>
#include <string>

#include "common/proto/control_messages.h"
#include "heartbeatd/observe/failover_timeline.h"

namespace vigil::ctl {

// One line per event: local wall time to the millisecond, the event id, the
// text and, for a finished step, its outcome and duration.
//   2026-12-06 16:31:02.118  link-dead        Link node1:eth1 dead.
std::string render_event_line(const proto::control::TimelineEvent& e, const std::tm& local);
std::string render_events(std::span<const proto::control::TimelineEvent> events);
// One JSON object per line (JSON Lines), so --follow can stream them.
std::string render_event_json(const proto::control::TimelineEvent& e);

// The failover as a timeline: a heading with the total, then one line per
// entry with its offset from the start and the time since the entry before.
std::string render_failover(const observe::Failover& f);
std::string render_failover_json(const observe::Failover& f);

// "1.234 s" / "12 ms" / "850 us".
std::string human_duration(std::int64_t us);

}  // namespace vigil::ctl
