// The first lines of `vigilctl status`: is the cluster healthy, who holds
// what, since when, and what is wrong (issue 17). Pure: the status reply,
// the timeline events (for "since when") and the wall clock now.
//
// Health:
//   failing   a group is held by nobody, or failed / failed to stop here;
//   degraded  anything else listed as a problem: a node dead, a link dead,
//             this node not active or without quorum (corosync), a group in transition, resource
//             management not running yet, a peer's configuration differing;
//   healthy   no problem.
// Packet counters are not problems (they only grow): the table shows them.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "common/proto/control_messages.h"

namespace vigil::ctl {

struct Health {
  std::string state;  // "healthy", "degraded", "failing"
  std::vector<std::string> problems;
};

Health assess(const proto::control::StatusReply& status);

// When each node and group last changed, as the timeline saw it (wall
// clock, microseconds). Absent: no such event kept.
struct Since {
  std::map<std::string, std::int64_t> nodes;
  std::map<std::string, std::int64_t> groups;
};
Since since_from(std::span<const proto::control::TimelineEvent> events);

// "Health: ...", the problems, then each group's holder and since when.
// Times are local; "(N s ago)" from `now_wall_us`.
std::string render_glance(const proto::control::StatusReply& status, const Health& health,
                          const Since& since, std::int64_t now_wall_us);

// "16:24:31, 3 min ago"
std::string since_text(std::int64_t at_wall_us, std::int64_t now_wall_us);

}  // namespace vigil::ctl
