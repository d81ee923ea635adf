#include "heartbeatd/node/cluster_node.h"

#include <fmt/format.h>

#include <algorithm>
#include <variant>

#include "common/log.h"
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
      core_(config, params),
      config_check_(shared_config_digest(config)),
      // §5.4: hopfudge + number of configured nodes (ping nodes included).
      ttl_(config.ha_cf.hopfudge + static_cast<int>(config.ha_cf.nodes.size())) {}

void ClusterNode::start(MonoTime now) { execute(core_.start(now), now); }

void ClusterNode::on_tick(MonoTime now) {
  execute(core_.on_tick(now), now);
  for (const auto& line : bad_packets_.summarise(now)) log_bad(line);
}

std::optional<MonoTime> ClusterNode::next_deadline() const {
  auto core = core_.next_deadline();
  auto tally = bad_packets_.next_deadline();
  if (core && tally) return std::min(*core, *tally);
  return core ? core : tally;
}

void ClusterNode::send(const messages::Body& body, std::string_view dest, MonoTime now) {
  execute(core_.send(body, dest, now), now);
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
  execute(core_.on_message(messages::decode(verified->message), link, now), now);
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
  log::warn(line.text,
            {{"VIGIL_LINK", line.link},
             {"VIGIL_SOURCE", line.source},
             {"VIGIL_EVENT",
              line.kind == BadPacketKind::kUnauthenticated ? "auth-failed" : "bad-packet"}});
}

// A vigil peer's status message says what it runs (shared_config.h).
void ClusterNode::check_peer_config(const wire::Message& message) {
  if (message.type() != "status") return;
  const std::string* src = message.get("src");
  if (src == nullptr || *src == config_.local_node) return;
  auto change = config_check_.observe(*src, message.get(kSharedConfigField));
  if (!change) return;
  const log::Fields fields = {{"VIGIL_NODE", *src}, {"VIGIL_EVENT", "config-mismatch"}};
  if (change->differs)
    log::warn(change->text, fields);
  else
    log::notice(change->text, fields);
}

void ClusterNode::execute(core::Actions actions, MonoTime now) {
  for (auto& action : actions) {
    std::visit(Overload{[&](const core::Send& s) { transmit(s); },
                        [&](const core::Log& l) {
                          log::write(l.priority, l.text, l.fields);
                          if (observer_) observer_->on_log(l, now);
                        },
                        [&](const core::MembershipEvent&) {
                          if (event_sink_) event_sink_(action, now);
                        },
                        [&](const core::Deliver&) {
                          if (event_sink_) event_sink_(action, now);
                        }},
               action);
  }
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
    log::error(
        fmt::format("cannot encode {} message: {}", send.message.type(), encoded.error().message));
    return;
  }
  // A retransmission re-sends a seq already recorded (§5.8); anything else
  // is recorded before it leaves, so a restart never reuses the pair.
  if (send.seq && !send.retransmission && !outbox_.record_sent(*send.seq)) return;
  outbox_.send_all(std::as_bytes(std::span(encoded->data(), encoded->size())));
}

}  // namespace vigil::node
