// The two seams between the control server and the rest of heartbeatd:
// what `status` shows and what standby/takeover do. heartbeatd implements
// them over its ClusterNode and engine (bridge_service.cpp); tests
// implement them with fixed replies.
#pragma once

#include <cstdint>
#include <functional>

#include "common/proto/control_messages.h"

namespace vigil::control {

class StatusProvider {
 public:
  virtual ~StatusProvider() = default;
  virtual proto::control::StatusReply status() = 0;
};

class CommandSink {
 public:
  virtual ~CommandSink() = default;
  // hb_standby / hb_takeover (heartbeat-compat.md §6.6, §7.3). Asynchronous
  // like heartbeat's: `accepted` says the request was started, the outcome
  // is in the log.
  virtual proto::control::CommandReply standby(proto::control::ResourceClass cls) = 0;
  virtual proto::control::CommandReply takeover(proto::control::ResourceClass cls) = 0;
  // vigilctl cleanup / maintenance (issue 16). A sink without resources
  // refuses them.
  virtual proto::control::CommandReply health(const proto::control::HealthCommand&) {
    return {false, "resource health is not managed here"};
  }
  // DRBD's fence-peer handler (issue 14, heartbeatd/engine/peer_outdate.h).
  // Answered later, once: `answer` is called when the peer answered or the
  // request's time ran out (or at once when refused). `answer` may be
  // called after the asking client left; it then does nothing.
  using OutdateAnswer = std::function<void(proto::control::OutdatePeerReply)>;
  virtual void outdate_peer(const proto::control::OutdatePeerRequest&, OutdateAnswer answer) {
    answer({1, "heartbeatd does not manage DRBD resources here"});
  }
};

// What `vigilctl events`, `vigilctl metrics` and vigil-exporter read:
// heartbeatd's event timeline and its metrics text (heartbeatd/observe/).
// Read-only, like status.
class ObservationProvider {
 public:
  virtual ~ObservationProvider() = default;
  virtual proto::control::EventsReply events(std::uint64_t after_seq) = 0;
  virtual proto::control::MetricsReply metrics() = 0;
};

}  // namespace vigil::control
