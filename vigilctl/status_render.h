// `vigilctl status` and `vigilctl status --json`: pure renderings of a
// StatusReply. The JSON field names are an interface (scripts, monitoring)
// and documented in README.md beside this file; add fields, never rename.
#pragma once

#include <string>

#include "common/proto/control_messages.h"
#include "vigilctl/status_glance.h"

namespace vigil::ctl {

// A readable table: the local node, every node with its status and links,
// every resource group with home node, owner and state, the counters.
std::string render_status_table(const proto::control::StatusReply& status);

// One JSON document (pretty-printed, keys in a fixed order, newline at the
// end). With `health` (status_glance.h), a last field "health":
// {"state": ..., "problems": [...]}.
std::string render_status_json(const proto::control::StatusReply& status,
                               const Health* health = nullptr);

}  // namespace vigil::ctl
