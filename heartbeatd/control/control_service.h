// What heartbeatd's main creates: the control server with heartbeatd's
// providers, in one object, so that main needs two lines — open the socket
// before dropping privileges, start the service once the ClusterNode (and
// the Ownership, when resource management runs) exist.
#pragma once

#include <memory>

#include "common/event_loop.h"
#include "common/result.h"
#include "common/unique_fd.h"
#include "conf/config.h"
#include "heartbeatd/control/control_server.h"
#include "heartbeatd/control/ownership_status.h"
#include "heartbeatd/node/cluster_node.h"

namespace vigil::control {

class ControlService {
 public:
  ControlService(EventLoop& loop, UniqueFd listening, std::unique_ptr<StatusProvider> status,
                 std::unique_ptr<CommandSink> commands,
                 std::unique_ptr<ObservationProvider> observation = nullptr);

  // Also answers on `read_only` (status.sock): status, events and metrics
  // for anyone the read-only policy admits, never a command.
  void serve_read_only(EventLoop& loop, UniqueFd read_only);

 private:
  std::unique_ptr<StatusProvider> status_;
  std::unique_ptr<CommandSink> commands_;
  std::unique_ptr<ObservationProvider> observation_;
  ControlServer server_;
  std::unique_ptr<ControlServer> read_only_server_;
};

// Membership only (membership_status.h): groups from the configuration with
// owner "unknown", standby/takeover refused "resource management not
// active yet". nullptr when `listening` is an error: that error is logged
// and heartbeatd runs on without a control socket (membership matters more
// than status).
std::unique_ptr<ControlService> start_control_service(EventLoop& loop, Result<UniqueFd> listening,
                                                      const conf::Config& config,
                                                      const node::ClusterNode& node);

// With resource management (ownership_status.h): `execute` runs the
// Actions that Ownership::standby/takeover return.
std::unique_ptr<ControlService> start_control_service(EventLoop& loop, Result<UniqueFd> listening,
                                                      const conf::Config& config,
                                                      const node::ClusterNode& node,
                                                      ownership::Ownership& ownership,
                                                      OwnershipCommands::Execute execute);

}  // namespace vigil::control
