#include "heartbeatd/control/bridge_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <optional>

#include "common/clock.h"
#include "common/log.h"
#include "heartbeatd/control/membership_status.h"
#include "heartbeatd/control/ownership_status.h"
#include "heartbeatd/observe/metrics.h"
#include "vigil_build_config.h"

namespace vigil::control {

namespace {

namespace ctl = proto::control;

class BridgeStatus final : public StatusProvider {
 public:
  BridgeStatus(const conf::Config& config, const node::ClusterNode& node)
      : config_(config), node_(node) {}

  ctl::StatusReply status() override { return node_status(config_, node_); }

 private:
  const conf::Config& config_;
  const node::ClusterNode& node_;
};

class BridgeCommands final : public CommandSink {
 public:
  explicit BridgeCommands(node::ClusterNode& node) : node_(node) {}

  ctl::CommandReply standby(ctl::ResourceClass cls) override {
    if (!node_.engine().ready()) return not_ready();
    node_.handle(engine::Standby{standby_bits(cls)}, MonoClock::now());
    // hb_standby's own line (§7.3); the outcome follows in the log (§6.6).
    return {true, fmt::format("Going standby [{}].", ctl::class_word(cls))};
  }

  ctl::CommandReply takeover(ctl::ResourceClass cls) override {
    if (!node_.engine().ready()) return not_ready();
    node_.handle(engine::Takeover{takeover_bits(cls), cls == ctl::ResourceClass::kFailback},
                 MonoClock::now());
    return {true, fmt::format("Taking over [{}].", ctl::class_word(cls))};
  }

 private:
  static ctl::CommandReply not_ready() {
    return {false, "heartbeatd is still learning what this node holds; try again in a moment"};
  }

  node::ClusterNode& node_;
};

class TimelineObservation final : public ObservationProvider {
 public:
  TimelineObservation(StatusProvider& status, const node::ClusterNode& node,
                      const observe::EventTimeline& timeline, std::vector<NamedHelper> helpers)
      : status_(status), node_(node), timeline_(timeline), helpers_(std::move(helpers)) {}

  ctl::EventsReply events(std::uint64_t after_seq) override {
    ctl::EventsReply reply;
    reply.events = timeline_.after(after_seq, ctl::kMaxEventsPerReply);
    reply.newest_seq = timeline_.newest_seq();
    reply.more = !reply.events.empty() && reply.events.back().seq < reply.newest_seq;
    return reply;
  }

  ctl::MetricsReply metrics() override {
    const ctl::StatusReply status = status_.status();
    const core::Snapshot snapshot = node_.core().snapshot();
    // The last complete takeover stays reported after its events have left
    // the ring.
    const std::vector<ctl::TimelineEvent> events(timeline_.events().begin(),
                                                 timeline_.events().end());
    if (auto f = observe::last_failover(events); f && f->complete) last_takeover_ = std::move(f);
    observe::MetricsInput in{VIGIL_VERSION, status, snapshot, timeline_, last_takeover_, {}};
    const MonoTime now = MonoClock::now();
    for (const auto& h : helpers_) {
      if (h.client == nullptr || !h.client->started()) continue;
      observe::HelperMetrics m{h.name, h.client->connected(), h.client->lease_ms() / 1000.0, 0};
      if (m.connected) {
        m.lease_remaining_seconds = m.lease_seconds;
      } else if (auto down = h.client->down_since()) {
        const double gone = std::chrono::duration<double>(now - *down).count();
        m.lease_remaining_seconds = std::max(0.0, m.lease_seconds - gone);
      }
      in.helpers.push_back(std::move(m));
    }
    std::string text = observe::render_metrics(in);
    if (text.size() > ctl::kMaxMetricsText) {
      log::error(fmt::format("metrics: {} bytes do not fit one control frame", text.size()));
      text.clear();
    }
    return {std::move(text)};
  }

 private:
  StatusProvider& status_;
  const node::ClusterNode& node_;
  const observe::EventTimeline& timeline_;
  std::vector<NamedHelper> helpers_;
  std::optional<observe::Failover> last_takeover_;
};

}  // namespace

ctl::StatusReply node_status(const conf::Config& config, const node::ClusterNode& node) {
  ctl::StatusReply reply = status_from(config, node.core().snapshot(), node.receive_counters(),
                                       node.bad_packets().sources(), &node.config_check());
  // Before the survey has told us what this node holds, the groups stay
  // as membership_status fills them (owner unknown).
  if (const ownership::Ownership* own = node.engine().ownership())
    apply_ownership(reply, config, own->snapshot());
  return reply;
}

std::unique_ptr<ControlService> start_bridge_control_service(
    EventLoop& loop, Result<UniqueFd> listening, const conf::Config& config,
    node::ClusterNode& node, const observe::EventTimeline& timeline,
    std::vector<NamedHelper> helpers, Result<UniqueFd> read_only) {
  if (!listening) {
    log::error(fmt::format("control socket: {}; vigilctl and cl_status will not reach heartbeatd",
                           listening.error().message));
    return nullptr;
  }
  auto status = std::make_unique<BridgeStatus>(config, node);
  auto observation =
      std::make_unique<TimelineObservation>(*status, node, timeline, std::move(helpers));
  auto service = std::make_unique<ControlService>(loop, std::move(*listening), std::move(status),
                                                  std::make_unique<BridgeCommands>(node),
                                                  std::move(observation));
  if (read_only)
    service->serve_read_only(loop, std::move(*read_only));
  else
    log::error(fmt::format("read-only control socket: {}; vigil-exporter will not reach heartbeatd",
                           read_only.error().message));
  return service;
}

}  // namespace vigil::control
