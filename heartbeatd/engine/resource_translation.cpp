#include "heartbeatd/engine/resource_translation.h"

namespace vigil::engine {

using ownership::ResourceOp;
using ownership::ResourceOutcome;

proto::ResourcePlace place_of(const ownership::ResourceRequest& request) {
  return proto::ResourcePlace{request.group, request.position};
}

proto::resourced::Op resourced_op(ResourceOp op) {
  switch (op) {
    case ResourceOp::kStart:
      return proto::resourced::Op::kStart;
    case ResourceOp::kStop:
      return proto::resourced::Op::kStop;
    case ResourceOp::kStatus:
      return proto::resourced::Op::kStatus;
  }
  return proto::resourced::Op::kStatus;
}

ResourceOutcome ipd_outcome(const proto::ipd::Result& result) {
  return result.outcome == proto::ipd::Outcome::kOk ? ResourceOutcome::kOk
                                                    : ResourceOutcome::kFailed;
}

ResourceOutcome ipd_status(const proto::ipd::VipList& list, const proto::ResourcePlace& place) {
  for (const auto& vip : list.vips)
    if (vip.place == place)
      return vip.present ? ResourceOutcome::kRunning : ResourceOutcome::kStopped;
  return ResourceOutcome::kFailed;
}

ResourceOutcome resourced_outcome(ResourceOp op, const proto::resourced::Reply& reply) {
  if (reply.outcome != proto::resourced::Outcome::kOk) return ResourceOutcome::kFailed;
  if (op != ResourceOp::kStatus) return ResourceOutcome::kOk;
  switch (reply.state) {
    case proto::resourced::RunState::kRunning:
      return ResourceOutcome::kRunning;
    case proto::resourced::RunState::kStopped:
      return ResourceOutcome::kStopped;
    case proto::resourced::RunState::kUnknown:
      break;
  }
  return ResourceOutcome::kFailed;
}

std::optional<std::vector<bool>> held_at_start(const conf::Config& config,
                                               const RunningSet& running) {
  std::vector<bool> held(config.groups.size(), false);
  bool any = false;
  for (const auto& [group, position] : running) {
    if (group < 0 || static_cast<std::size_t>(group) >= held.size()) continue;
    held[static_cast<std::size_t>(group)] = true;
    any = true;
  }
  if (!any) return std::nullopt;
  return held;
}

}  // namespace vigil::engine
