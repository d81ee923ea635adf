#include "heartbeatd/node/cluster_node.h"

#include <fmt/format.h>

#include <algorithm>
#include <variant>

#include "common/log.h"
#include "conf/resource_index.h"
#include "heartbeatd/wire/codec.h"
#include "heartbeatd/wire/verify.h"

namespace vigil::node {

namespace {

template <class... F>
struct Overload : F... {
  using F::operator()...;
};

std::string_view as_chars(std::span<const std::byte> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace

ClusterNode::ClusterNode(const conf::Config& config, state::NodeUuid uuid, core::CoreParams params,
                         Outbox& outbox)
    : config_(config),
      uuid_(uuid),
      outbox_(outbox),
      engine_(config, engine::EngineParams{.core = params, .resources = false}),
      config_check_(shared_config_digest(config)),
      // §5.4: hopfudge + number of configured nodes (ping nodes included).
      ttl_(config.ha_cf.hopfudge + static_cast<int>(config.ha_cf.nodes.size())) {}

ClusterNode::ClusterNode(const conf::Config& config, state::NodeUuid uuid,
                         engine::EngineParams params, Outbox& outbox, HelperPort& helpers,
                         Clock clock)
    : config_(config),
      uuid_(uuid),
      outbox_(outbox),
      engine_(config, params),
      helpers_(&helpers),
      clock_(std::move(clock)),
      config_check_(shared_config_digest(config)),
      ttl_(config.ha_cf.hopfudge + static_cast<int>(config.ha_cf.nodes.size())) {
  helpers.observe(
      [this](const proto::ipd::Event& event) {
        execute(engine_.handle(engine::HelperEvent{event}, clock_()));
        if (on_change_) on_change_();
      },
      [this](HelperPort::Helper helper) {
        execute(engine_.handle(engine::HelperConnected{helper}, clock_()));
        if (on_change_) on_change_();
      });
}

void ClusterNode::start(MonoTime now) { execute(engine_.handle(engine::Start{}, now)); }

void ClusterNode::on_tick(MonoTime now) {
  execute(engine_.handle(engine::Tick{}, now));
  for (const auto& line : bad_packets_.summarise(now)) log_bad(line);
}

void ClusterNode::handle(const engine::Input& input, MonoTime now) {
  execute(engine_.handle(input, now));
}

std::optional<MonoTime> ClusterNode::next_deadline() const {
  auto engine = engine_.next_deadline();
  auto tally = bad_packets_.next_deadline();
  if (engine && tally) return std::min(*engine, *tally);
  return engine ? engine : tally;
}

void ClusterNode::on_datagram(std::string_view link, std::span<const std::byte> datagram,
                              MonoTime now, std::string_view source) {
  // Trust boundary 1 (architecture.md): framing with hard bounds, then the
  // signature, and only then does anyone look at a field: messages::decode
  // reads them all, once. What fails costs a count, and a log line at a
  // bounded rate (bad_packet_tally.h).
  auto decoded = wire::decode(as_chars(datagram));
  if (!decoded) {
    ++counters_.malformed;
    count_bad(source, link, BadPacketKind::kMalformed,
              fmt::format("bad packet: {}", decoded.error().message), now);
    return;
  }
  auto verified = wire::verify(*decoded, config_.authkeys);
  if (!verified) {
    ++counters_.unauthenticated;
    count_bad(source, link, BadPacketKind::kUnauthenticated, verified.error().message, now);
    return;
  }
  ++counters_.accepted;
  check_peer_config(verified->message);
  execute(engine_.handle(engine::Received{std::string(link), messages::decode(verified->message)},
                         now));
}

void ClusterNode::on_unreadable(std::string_view link, std::string_view reason, MonoTime now) {
  ++counters_.unreadable;
  count_bad("unknown", link, BadPacketKind::kUnreadable, reason, now);
}

void ClusterNode::count_bad(std::string_view source, std::string_view link, BadPacketKind kind,
                            std::string_view reason, MonoTime now) {
  if (auto line = bad_packets_.record(source, link, kind, reason, now)) log_bad(*line);
}

void ClusterNode::log_bad(const BadPacketLine& line) {
  // log_badpack off: heartbeat says nothing about bad packets (§5.5); the
  // counts stay in vigilctl status.
  if (!config_.ha_cf.log_badpack) return;
  write_log({log::Priority::kWarn,
             line.text,
             {{"VIGIL_LINK", line.link},
              {"VIGIL_SOURCE", line.source},
              {"VIGIL_EVENT",
               line.kind == BadPacketKind::kUnauthenticated ? "auth-failed" : "bad-packet"}}});
}

// A vigil peer's status message says what it runs (shared_config.h).
void ClusterNode::check_peer_config(const wire::Message& message) {
  if (message.type() != "status") return;
  const std::string* src = message.get("src");
  if (src == nullptr || *src == config_.local_node) return;
  auto change = config_check_.observe(*src, message.get(kSharedConfigField));
  if (!change) return;
  write_log({change->differs ? log::Priority::kWarn : log::Priority::kNotice,
             change->text,
             {{"VIGIL_NODE", *src}, {"VIGIL_EVENT", "config-mismatch"}}});
}

// The one executor: every action of the engine, in order.
void ClusterNode::execute(engine::Actions actions) {
  for (auto& action : actions) {
    std::visit(Overload{[&](const engine::Transmit& s) { transmit(s); },
                        [&](const engine::Log& l) { write_log(l); },
                        [&](const engine::StepStarted& s) {
                          if (observer_) observer_->on_step_started(s.request, stamp());
                        },
                        [&](const engine::StepFinished& s) {
                          if (observer_)
                            observer_->on_step_finished(s.request_id, s.outcome, stamp());
                        },
                        [&](const engine::HelperCall& c) { call_helper(c); },
                        [&](const engine::Probe& p) { probe(p); },
                        [&](const engine::FenceCall& f) {
                          if (helpers_ == nullptr) return;  // membership alone fences nothing
                          const std::uint32_t id = f.call;
                          helpers_->fence(
                              f.node_index,
                              [this, id](const proto::resourced::Reply& r) { answered(id, r); });
                        },
                        [&](const engine::OutdateCall& o) {
                          if (helpers_ == nullptr) return;
                          const std::uint32_t id = o.call;
                          helpers_->outdate(
                              o.resource_index,
                              [this, id](const proto::resourced::Reply& r) { answered(id, r); });
                        },
                        [&](const engine::OutdateAnswer& a) {
                          if (on_outdate_answer_) on_outdate_answer_(a);
                        },
                        [&](const engine::ShutdownComplete&) {
                          shutdown_complete_ = true;
                          if (on_shutdown_complete_) on_shutdown_complete_();
                        },
                        [&](engine::ClusterEvent& e) {
                          if (helpers_ != nullptr)
                            helpers_->cluster_event(e.event, std::move(e.fields));
                        }},
               action);
  }
}

// The one place heartbeatd writes the log lines of its decisions.
void ClusterNode::write_log(const engine::Log& line) {
  log::write(line.priority, line.text, line.fields);
  if (observer_) observer_->on_log(line, stamp());
}

// When an executed action is recorded: the clock heartbeatd gave us (the
// membership-alone node has none and reads the monotonic clock itself).
MonoTime ClusterNode::stamp() const { return clock_ ? clock_() : MonoClock::now(); }

void ClusterNode::call_helper(const engine::HelperCall& call) {
  if (helpers_ == nullptr) return;  // membership alone makes no calls
  const std::uint32_t id = call.call;
  switch (call.kind) {
    case engine::CallKind::kIpdAdd:
      helpers_->ipd_add(call.place, [this, id](const proto::ipd::Result& r) { answered(id, r); });
      return;
    case engine::CallKind::kIpdRemove:
      helpers_->ipd_remove(call.place,
                           [this, id](const proto::ipd::Result& r) { answered(id, r); });
      return;
    case engine::CallKind::kIpdAnnounce:
      helpers_->ipd_announce(call.place, call.announce,
                             [this, id](const proto::ipd::Result& r) { answered(id, r); });
      return;
    case engine::CallKind::kIpdList:
      helpers_->ipd_list([this, id](const proto::ipd::VipList& l) { answered(id, l); });
      return;
    case engine::CallKind::kResourced:
      helpers_->resourced(call.place, call.op,
                          [this, id](const proto::resourced::Reply& r) { answered(id, r); });
      return;
    case engine::CallKind::kResourcedMonitor:
      helpers_->resourced_monitor(
          static_cast<std::uint16_t>(
              conf::resource_index(config_, call.place.group, call.place.position)),
          [this, id](const proto::resourced::Reply& r) { answered(id, r); });
      return;
  }
}

void ClusterNode::answered(std::uint32_t call, engine::HelperReply reply) {
  execute(engine_.handle(engine::HelperAnswer{call, std::move(reply)}, clock_()));
  if (on_change_) on_change_();
}

void ClusterNode::transmit(const core::Send& send) {
  wire::Message message = send.message;
  // Before the control fields, as any other field of the message (§5.4).
  if (message.type() == "status") message.set(kSharedConfigField, config_check_.ours());
  wire::ControlFields control;
  control.src = config_.local_node;
  control.uuid = uuid_;
  control.seq = send.seq;
  control.generation = send.generation;
  control.ts = outbox_.unix_time();
  control.load_average = outbox_.load_average();
  control.ttl = ttl_;
  wire::add_control_fields(message, control);

  auto encoded = wire::encode_netstring(std::move(message), config_.authkeys.active());
  if (!encoded) {
    write_log(
        {log::Priority::kError,
         fmt::format("cannot encode {} message: {}", send.message.type(), encoded.error().message),
         {}});
    return;
  }
  // A retransmission re-sends a seq already recorded (§5.8); anything else
  // is recorded before it leaves, so a restart never reuses the pair.
  if (send.seq && !send.retransmission && !outbox_.record_sent(*send.seq)) return;
  // Identical copies of a status (core/status_copies.h): one signature, the
  // same bytes each time, so every receiver counts the rest as duplicates.
  for (int copy = 0; copy < std::max(send.copies, 1); ++copy)
    outbox_.send_all(std::as_bytes(std::span(encoded->data(), encoded->size())));
}

void ClusterNode::probe(const core::Probe& p) {
  // heartbeat's ping medium sends t, st, info, then src = the ping node and
  // the status's ts, signed; no seq, generation or uuid (§8.1). It comes
  // back to us alone, so only our own verification reads it.
  wire::Message message = p.message;
  message.set("src", p.node);
  message.set("ts", fmt::format("{:x}", std::max<std::int64_t>(outbox_.unix_time(), 0)));
  auto encoded = wire::encode_netstring(std::move(message), config_.authkeys.active());
  if (!encoded) {
    write_log({log::Priority::kError,
               fmt::format("cannot encode the probe for ping node {}: {}", p.node,
                           encoded.error().message),
               {{"VIGIL_NODE", p.node}}});
    return;
  }
  outbox_.send_probe(p.node, std::as_bytes(std::span(encoded->data(), encoded->size())));
}

}  // namespace vigil::node
