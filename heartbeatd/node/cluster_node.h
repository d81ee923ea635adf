// heartbeatd's glue between the network and the sans-IO cores: datagrams
// in, decode → verify → core; the core's actions out, Send → control
// fields → encode → every medium, Log → the logger (architecture.md, "How
// data flows through heartbeatd").
//
// It owns no socket and reads no clock: the caller (heartbeatd's main
// loop, or a test) passes `now` and gives it the media to send on. The
// only I/O it does is through the Outbox seam and the logger.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "conf/config.h"
#include "heartbeatd/core/core.h"
#include "heartbeatd/node/bad_packet_tally.h"
#include "heartbeatd/node/shared_config.h"
#include "heartbeatd/observe/activity_observer.h"
#include "heartbeatd/state/node_uuid.h"
#include "heartbeatd/wire/control_fields.h"

namespace vigil::node {

// Where encoded datagrams go, and the few facts of the host the control
// fields need (§5.4). heartbeatd implements it over io::MediaSet; tests
// collect the datagrams.
class Outbox {
 public:
  virtual ~Outbox() = default;
  // Sends one encoded message on every medium.
  virtual void send_all(std::span<const std::byte> datagram) = 0;
  // Records that sequenced `seq` is about to go out (state::SequenceStore);
  // false means it must not be sent (a restart could reuse it).
  virtual bool record_sent(std::uint64_t seq) = 0;
  virtual std::int64_t unix_time() = 0;                   // `ts`
  virtual std::optional<std::string> load_average() = 0;  // `ld`
};

// What happened to received datagrams, for vigilctl status and tests.
struct ReceiveCounters {
  std::uint64_t accepted = 0;
  std::uint64_t malformed = 0;        // decode failed
  std::uint64_t unauthenticated = 0;  // verify failed
  std::uint64_t unreadable = 0;       // the medium refused it (oversized, receive error)
};

class ClusterNode {
 public:
  // Membership events and deliveries the core produced, for the resource
  // ownership module (issue 5) to consume; unset → ignored.
  using EventSink = std::function<void(const core::Action&, MonoTime)>;

  ClusterNode(const conf::Config& config, state::NodeUuid uuid, core::CoreParams params,
              Outbox& outbox);

  void set_event_sink(EventSink sink) { event_sink_ = std::move(sink); }
  // Told every Log action executed (the event timeline); may be null.
  void set_observer(observe::ActivityObserver* observer) { observer_ = observer; }

  void start(MonoTime now);
  // One datagram as it arrived on medium `link` from `source` (the
  // sender's address, untrusted: only for counting and the log).
  void on_datagram(std::string_view link, std::span<const std::byte> datagram, MonoTime now,
                   std::string_view source = "unknown");
  // A datagram the medium could not hand over (oversized, receive error).
  void on_unreadable(std::string_view link, std::string_view reason, MonoTime now);
  void on_tick(MonoTime now);
  // Sends a sequenced message for another module (the ownership logic),
  // to `dest` (empty: every node).
  void send(const messages::Body& body, std::string_view dest, MonoTime now);

  std::optional<MonoTime> next_deadline() const;
  const core::Core& core() const { return core_; }
  const ReceiveCounters& receive_counters() const { return counters_; }
  // Bad datagrams per sender, for vigilctl status.
  const BadPacketTally& bad_packets() const { return bad_packets_; }
  // Our shared-configuration digest and the peers' (shared_config.h).
  const PeerConfigCheck& config_check() const { return config_check_; }

 private:
  void execute(core::Actions actions, MonoTime now);
  void transmit(const core::Send& send);
  void count_bad(std::string_view source, std::string_view link, BadPacketKind kind,
                 std::string_view reason, MonoTime now);
  void log_bad(const BadPacketLine& line);
  void check_peer_config(const wire::Message& message);

  const conf::Config& config_;
  state::NodeUuid uuid_;
  Outbox& outbox_;
  core::Core core_;
  EventSink event_sink_;
  observe::ActivityObserver* observer_ = nullptr;
  ReceiveCounters counters_;
  BadPacketTally bad_packets_;
  PeerConfigCheck config_check_;
  int ttl_;
};

}  // namespace vigil::node
