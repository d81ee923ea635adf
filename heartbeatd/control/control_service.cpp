#include "heartbeatd/control/control_service.h"

#include "common/log.h"
#include "heartbeatd/control/membership_status.h"

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

namespace {

bool usable(const Result<UniqueFd>& listening) {
  if (listening) return true;
  log::error(listening.error().message +
             "; running without a control socket "
             "(vigilctl status, cl_status, hb_standby will not reach heartbeatd)");
  return false;
}

}  // namespace

std::unique_ptr<ControlService> start_control_service(EventLoop& loop, Result<UniqueFd> listening,
                                                      const conf::Config& config,
                                                      const node::ClusterNode& node) {
  if (!usable(listening)) return nullptr;
  return std::make_unique<ControlService>(loop, std::move(*listening),
                                          std::make_unique<MembershipStatus>(config, node),
                                          std::make_unique<InactiveCommandSink>());
}

std::unique_ptr<ControlService> start_control_service(EventLoop& loop, Result<UniqueFd> listening,
                                                      const conf::Config& config,
                                                      const node::ClusterNode& node,
                                                      ownership::Ownership& ownership,
                                                      OwnershipCommands::Execute execute) {
  if (!usable(listening)) return nullptr;
  return std::make_unique<ControlService>(
      loop, std::move(*listening), std::make_unique<OwnershipStatus>(config, node, ownership),
      std::make_unique<OwnershipCommands>(ownership, std::move(execute)));
}

}  // namespace vigil::control
