#include "heartbeatd/control/control_service.h"

namespace vigil::control {

ControlService::ControlService(EventLoop& loop, UniqueFd listening,
                               std::unique_ptr<StatusProvider> status,
                               std::unique_ptr<CommandSink> commands,
                               std::unique_ptr<ObservationProvider> observation)
    : status_(std::move(status)),
      commands_(std::move(commands)),
      observation_(std::move(observation)),
      server_(loop, std::move(listening), default_policy(), *status_, *commands_, {},
              observation_.get()) {}

void ControlService::serve_read_only(EventLoop& loop, UniqueFd read_only) {
  read_only_server_ =
      std::make_unique<ControlServer>(loop, std::move(read_only), default_policy(true), *status_,
                                      *commands_, ControlLimits{}, observation_.get());
}

}  // namespace vigil::control
