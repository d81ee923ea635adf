// heartbeatd's I/O shell around the engine (heartbeatd/engine/engine.h):
// datagrams in, decode → verify → engine; the engine's actions out through
// ONE executor, execute(): Transmit → control fields → encode → every
// medium, Log → the logger (the one place heartbeatd writes a decision's
// log line), HelperCall → ipd or resourced (HelperPort), whose answer comes
// back in as the next input.
//
// It owns no socket and reads no clock of its own: the caller (heartbeatd's
// main loop, or a test) passes `now`, gives it the media to send on, and a
// clock for the time of helper answers (they arrive from the event loop).
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
#include "heartbeatd/engine/engine.h"
#include "heartbeatd/node/bad_packet_tally.h"
#include "heartbeatd/node/helper_port.h"
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
  // Sends one signed probe to every address of ping node `node` (§8.1).
  virtual void send_probe(std::string_view node, std::span<const std::byte> payload) = 0;
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
  using Clock = std::function<MonoTime()>;

  // Membership alone: no haresources negotiation, no helpers.
  ClusterNode(const conf::Config& config, state::NodeUuid uuid, core::CoreParams params,
              Outbox& outbox);
  // The whole engine. `helpers` answers from the event loop, never inside
  // a call (helper_port.h), so an answer is always a new input; it must not
  // call back after this node is gone (heartbeatd destroys the node first,
  // with the loop stopped). `clock` stamps those answers.
  ClusterNode(const conf::Config& config, state::NodeUuid uuid, engine::EngineParams params,
              Outbox& outbox, HelperPort& helpers, Clock clock);
  ClusterNode(const ClusterNode&) = delete;
  ClusterNode& operator=(const ClusterNode&) = delete;

  // Told every Log action and resource step executed (the event timeline);
  // may be null.
  void set_observer(observe::ActivityObserver* observer) { observer_ = observer; }

  void start(MonoTime now);
  // One datagram as it arrived on medium `link` from `source` (the
  // sender's address, untrusted: only for counting and the log). An echo
  // reply's payload comes in here too, with `link` the ping node it
  // answers (io::IcmpProber).
  void on_datagram(std::string_view link, std::span<const std::byte> datagram, MonoTime now,
                   std::string_view source = "unknown");
  // A datagram the medium could not hand over (oversized, receive error).
  void on_unreadable(std::string_view link, std::string_view reason, MonoTime now);
  void on_tick(MonoTime now);
  // hb_standby / hb_takeover / SIGTERM, and anything else the engine takes.
  void handle(const engine::Input& input, MonoTime now);

  // Called after a batch that arrived on its own (a helper's answer or
  // event), so heartbeatd can re-arm its timer at next_deadline().
  void set_on_change(std::function<void()> f) { on_change_ = std::move(f); }
  void set_on_shutdown_complete(std::function<void()> f) { on_shutdown_complete_ = std::move(f); }
  // Where the engine's answers to OutdatePeer inputs go (the control
  // socket's waiting fence-peer handlers); unset: dropped.
  using OutdateAnswered = std::function<void(const engine::OutdateAnswer&)>;
  void set_on_outdate_answer(OutdateAnswered f) { on_outdate_answer_ = std::move(f); }
  bool shutdown_complete() const { return shutdown_complete_; }

  std::optional<MonoTime> next_deadline() const;
  const core::Core& core() const { return engine_.core(); }
  const engine::Engine& engine() const { return engine_; }
  const ReceiveCounters& receive_counters() const { return counters_; }
  // Bad datagrams per sender, for vigilctl status.
  const BadPacketTally& bad_packets() const { return bad_packets_; }
  // Our shared-configuration digest and the peers' (shared_config.h).
  const PeerConfigCheck& config_check() const { return config_check_; }

 private:
  void execute(engine::Actions actions);
  void write_log(const engine::Log& line);
  MonoTime stamp() const;
  void transmit(const core::Send& send);
  void probe(const core::Probe& probe);
  void call_helper(const engine::HelperCall& call);
  void answered(std::uint32_t call, engine::HelperReply reply);
  void count_bad(std::string_view source, std::string_view link, BadPacketKind kind,
                 std::string_view reason, MonoTime now);
  void log_bad(const BadPacketLine& line);
  void check_peer_config(const wire::Message& message);

  const conf::Config& config_;
  state::NodeUuid uuid_;
  Outbox& outbox_;
  engine::Engine engine_;
  HelperPort* helpers_ = nullptr;
  Clock clock_;
  observe::ActivityObserver* observer_ = nullptr;
  ReceiveCounters counters_;
  BadPacketTally bad_packets_;
  PeerConfigCheck config_check_;
  int ttl_;
  std::function<void()> on_change_;
  std::function<void()> on_shutdown_complete_;
  OutdateAnswered on_outdate_answer_;
  bool shutdown_complete_ = false;
};

}  // namespace vigil::node
