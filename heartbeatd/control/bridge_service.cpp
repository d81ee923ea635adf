#include "heartbeatd/control/bridge_service.h"

#include <fmt/format.h>

#include "common/clock.h"
#include "common/log.h"
#include "heartbeatd/control/membership_status.h"
#include "heartbeatd/control/ownership_status.h"

namespace vigil::control {

namespace {

namespace ctl = proto::control;

class BridgeStatus final : public StatusProvider {
 public:
  BridgeStatus(const conf::Config& config, const node::ClusterNode& node,
               const node::ResourceBridge& bridge)
      : config_(config), node_(node), bridge_(bridge) {}

  ctl::StatusReply status() override {
    ctl::StatusReply reply = status_from(config_, node_.core().snapshot(), node_.receive_counters(),
                                         node_.bad_packets().sources(), &node_.config_check());
    // Before the survey has told us what this node holds, the groups stay
    // as membership_status fills them (owner unknown).
    if (const ownership::Ownership* own = bridge_.ownership())
      apply_ownership(reply, config_, own->snapshot());
    return reply;
  }

 private:
  const conf::Config& config_;
  const node::ClusterNode& node_;
  const node::ResourceBridge& bridge_;
};

class BridgeCommands final : public CommandSink {
 public:
  explicit BridgeCommands(node::ResourceBridge& bridge) : bridge_(bridge) {}

  ctl::CommandReply standby(ctl::ResourceClass cls) override {
    if (!bridge_.ready()) return not_ready();
    bridge_.standby(standby_bits(cls), MonoClock::now());
    // hb_standby's own line (§7.3); the outcome follows in the log (§6.6).
    return {true, fmt::format("Going standby [{}].", ctl::class_word(cls))};
  }

  ctl::CommandReply takeover(ctl::ResourceClass cls) override {
    if (!bridge_.ready()) return not_ready();
    bridge_.takeover(takeover_bits(cls), cls == ctl::ResourceClass::kFailback, MonoClock::now());
    return {true, fmt::format("Taking over [{}].", ctl::class_word(cls))};
  }

 private:
  static ctl::CommandReply not_ready() {
    return {false, "heartbeatd is still learning what this node holds; try again in a moment"};
  }

  node::ResourceBridge& bridge_;
};

class TimelineObservation final : public ObservationProvider {
 public:
  explicit TimelineObservation(const observe::EventTimeline& timeline) : timeline_(timeline) {}

  ctl::EventsReply events(std::uint64_t after_seq) override {
    ctl::EventsReply reply;
    reply.events = timeline_.after(after_seq, ctl::kMaxEventsPerReply);
    reply.newest_seq = timeline_.newest_seq();
    reply.more = !reply.events.empty() && reply.events.back().seq < reply.newest_seq;
    return reply;
  }

 private:
  const observe::EventTimeline& timeline_;
};

}  // namespace

std::unique_ptr<ControlService> start_bridge_control_service(
    EventLoop& loop, Result<UniqueFd> listening, const conf::Config& config,
    const node::ClusterNode& node, node::ResourceBridge& bridge,
    const observe::EventTimeline& timeline) {
  if (!listening) {
    log::error(fmt::format("control socket: {}; vigilctl and cl_status will not reach heartbeatd",
                           listening.error().message));
    return nullptr;
  }
  return std::make_unique<ControlService>(
      loop, std::move(*listening), std::make_unique<BridgeStatus>(config, node, bridge),
      std::make_unique<BridgeCommands>(bridge), std::make_unique<TimelineObservation>(timeline));
}

}  // namespace vigil::control
