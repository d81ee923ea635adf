// The status line heartbeatd sends to systemd (sd_notify STATUS=), shown by
// `systemctl status vigil-heartbeatd`:
//
//   node1 active; peers: node2 active; groups held: 1 of 1
//   node1 up; peers: node2 dead; groups held: 0 of 2 (1 starting)
//   node1 active; peers: node2 active; groups: survey in progress
//   node1 active; peers: none; no resource groups
//
// One line, words from cl_status (init/up/active/dead) so it reads like
// `cl_status nodestatus`; stable, so monitoring can match on it. heartbeatd
// sends it again whenever it changes.
#pragma once

#include <string>

#include "common/proto/control_messages.h"

namespace vigil::io {

// Pure: the line for `status` (what `vigilctl status` shows). Ping nodes
// are not peers and are left out. A group counts as held while it runs
// here; groups starting, stopping or failed here are counted in brackets.
std::string service_status_line(const proto::control::StatusReply& status);

}  // namespace vigil::io
