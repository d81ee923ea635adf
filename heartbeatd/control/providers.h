// The two seams between the control server and the rest of heartbeatd:
// what `status` shows and what standby/takeover do. heartbeatd's main
// implements them over its ClusterNode (membership_status.h) and, once
// wired, the ownership module (heartbeatd/ownership/ownership.h).
#pragma once

#include "common/proto/control_messages.h"

namespace vigil::control {

class StatusProvider {
 public:
  virtual ~StatusProvider() = default;
  virtual proto::control::StatusReply status() = 0;
};

class CommandSink {
 public:
  virtual ~CommandSink() = default;
  // hb_standby / hb_takeover (heartbeat-compat.md §6.6, §7.3). Asynchronous
  // like heartbeat's: `accepted` says the request was started, the outcome
  // is in the log.
  virtual proto::control::CommandReply standby(proto::control::ResourceClass cls) = 0;
  virtual proto::control::CommandReply takeover(proto::control::ResourceClass cls) = 0;
};

}  // namespace vigil::control
