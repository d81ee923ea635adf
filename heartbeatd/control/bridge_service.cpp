#include "heartbeatd/control/bridge_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
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
  explicit BridgeCommands(node::ClusterNode& node) : node_(node) {
    node_.set_on_outdate_answer([this](const engine::OutdateAnswer& a) { outdate_answered(a); });
  }
  ~BridgeCommands() override { node_.set_on_outdate_answer({}); }
  BridgeCommands(const BridgeCommands&) = delete;
  BridgeCommands& operator=(const BridgeCommands&) = delete;

  // Not gated on ready(): DRBD's exchange does not wait for the start-up
  // survey (resource_engine.h).
  void outdate_peer(const ctl::OutdatePeerRequest& request, OutdateAnswer answer) override {
    const std::uint32_t asker = next_asker_++;
    waiting_.emplace(asker, std::move(answer));
    node_.handle(engine::OutdatePeer{asker, request.drbd, request.peer,
                                     std::chrono::milliseconds(request.timeout_ms)},
                 MonoClock::now());
  }

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

  ctl::CommandReply health(const ctl::HealthCommand& command) override {
    if (!node_.engine().ready()) return not_ready();
    std::optional<std::size_t> group;
    if (!command.group.empty()) {
      const auto& groups = node_.engine().ownership()->snapshot().groups;
      for (std::size_t g = 0; g < groups.size(); ++g)
        if (groups[g].key == command.group) group = g;
      if (!group)
        return {false, fmt::format("no resource group [{}] in haresources", command.group)};
    }
    using Verb = ctl::HealthCommand::Verb;
    if (command.verb == Verb::kCleanup) {
      node_.handle(engine::HealthCleanup{}, MonoClock::now());
      return {true, "Resource failure counts cleared."};
    }
    const bool on = command.verb == Verb::kMaintenanceOn;
    node_.handle(engine::Maintenance{on, group}, MonoClock::now());
    return {true, fmt::format("Maintenance {} for {}.", on ? "ON" : "off",
                              group ? command.group : std::string("every group"))};
  }

 private:
  static ctl::CommandReply not_ready() {
    return {false, "heartbeatd is still learning what this node holds; try again in a moment"};
  }

  void outdate_answered(const engine::OutdateAnswer& a) {
    auto it = waiting_.find(a.asker);
    if (it == waiting_.end()) return;
    OutdateAnswer answer = std::move(it->second);
    waiting_.erase(it);
    answer({static_cast<std::uint8_t>(a.result), a.text.substr(0, ctl::kMaxMessage)});
  }

  node::ClusterNode& node_;
  std::uint32_t next_asker_ = 1;
  std::map<std::uint32_t, OutdateAnswer> waiting_;
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
    if (const engine::HealthMonitor* h = node_.engine().health()) {
      in.maintenance = h->maintenance_all();
      for (const auto& r : h->view())
        in.health.push_back({r.group_key, r.resource,
                             r.last == engine::ResourceHealthView::Result::kFailed ||
                                 r.last == engine::ResourceHealthView::Result::kTimedOut,
                             r.in_a_row, r.failures, r.checks, r.failed_checks, r.restarts});
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

// What `vigilctl status` shows of resource health (issue 16).
void apply_health(ctl::StatusReply& reply, const conf::Config& config,
                  const engine::HealthMonitor& health, const ownership::Ownership* own,
                  MonoTime now) {
  using Result = engine::ResourceHealthView::Result;
  auto ms = [](Duration d) {
    return static_cast<std::uint64_t>(
        std::max<long long>(0, std::chrono::duration_cast<std::chrono::milliseconds>(d).count()));
  };
  reply.health_check = true;
  reply.maintenance_all = health.maintenance_all();
  for (std::size_t g = 0; g < config.groups.size(); ++g)
    if (!health.maintenance_all() && health.in_maintenance(g))
      reply.maintenance_groups.push_back(config.groups[g].key());
  if (own != nullptr)
    for (const auto& [g, node] : own->held_back())
      reply.held_back.push_back({config.groups[g].key(), node});
  for (const auto& r : health.view()) {
    ctl::ResourceHealthInfo h;
    h.group = r.group_key;
    h.resource = r.resource;
    h.last = r.last == Result::kPassed     ? ctl::ResourceHealthInfo::Result::kPassed
             : r.last == Result::kFailed   ? ctl::ResourceHealthInfo::Result::kFailed
             : r.last == Result::kTimedOut ? ctl::ResourceHealthInfo::Result::kTimedOut
                                           : ctl::ResourceHealthInfo::Result::kNone;
    if (r.last_check) h.last_check_ago_ms = ms(now - *r.last_check);
    h.detail = r.detail.substr(0, ctl::kMaxMessage);
    h.in_a_row = static_cast<std::uint32_t>(r.in_a_row);
    h.failures = static_cast<std::uint32_t>(r.failures);
    if (r.decays_at) {
      h.decays = true;
      h.decays_in_ms = ms(*r.decays_at - now);
    }
    reply.resource_health.push_back(std::move(h));
  }
}

}  // namespace

ctl::StatusReply node_status(const conf::Config& config, const node::ClusterNode& node) {
  ctl::StatusReply reply = status_from(config, node.core().snapshot(), node.receive_counters(),
                                       node.bad_packets().sources(), &node.config_check());
  // Before the survey has told us what this node holds, the groups stay
  // as membership_status fills them (owner unknown).
  if (const ownership::Ownership* own = node.engine().ownership())
    apply_ownership(reply, config, own->snapshot());
  if (const engine::HealthMonitor* health = node.engine().health())
    apply_health(reply, config, *health, node.engine().ownership(), MonoClock::now());
  // ---- issue 18: corosync ----
  reply.quorum.corosync = node.engine().quorum_required();
  reply.quorum.quorate = node.engine().quorate();
  for (const auto& m : node.engine().members())
    if (reply.quorum.members.size() < ctl::kMaxNodes) reply.quorum.members.push_back(m);
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
