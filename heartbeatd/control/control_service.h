// The control server and the providers it answers from, owned together
// (start_bridge_control_service, bridge_service.h, makes one): the
// privileged socket and, optionally, the read-only status.sock.
#pragma once

#include <memory>

#include "common/event_loop.h"
#include "common/unique_fd.h"
#include "heartbeatd/control/control_server.h"

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

}  // namespace vigil::control
