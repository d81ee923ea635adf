// heartbeatd's membership from corosync (vigil.cf `membership corosync`):
// one I/O edge that
//   * joins a CPG group (closed process group, corosync's cpg.h) and sends
//     every cluster message to it with agreed ordering: it is heartbeatd's
//     one medium, link "cpg", and the same signed heartbeat messages travel
//     on it as on UDP (trust boundary 1 still verifies them);
//   * reports the group's membership (the nodes whose heartbeatd joined)
//     and corosync's quorum (quorum.h), through RingSequencer so that no
//     membership reaches the engine before the quorum of its ring;
//   * names nodes by corosync's nodelist (cmap `nodelist.node.N.name` and
//     `.nodeid`), which must use ha.cf's node names.
// It decides nothing: the engine gets engine::MembershipChange,
// engine::QuorumChange and the datagrams, in order (heartbeatd_main.cpp).
// heartbeatd runs as hacluster: corosync lets it in through
// /etc/corosync/uidgid.d/vigil (packaging).
#pragma once

#include <corosync/cpg.h>
#include <corosync/quorum.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/result.h"
#include "heartbeatd/io/medium.h"
#include "heartbeatd/io/ring_sequencer.h"

namespace vigil::io {

class CorosyncLink final : public Medium {
 public:
  inline static const std::string kLinkName = "cpg";

  // Connects to the local corosync, joins `group`, starts quorum tracking
  // and reads the nodelist. An error names what failed (corosync not
  // running, IPC refused: uidgid.d missing).
  static Result<std::unique_ptr<CorosyncLink>> open(const std::string& group);
  ~CorosyncLink() override;
  CorosyncLink(const CorosyncLink&) = delete;
  CorosyncLink& operator=(const CorosyncLink&) = delete;

  const std::string& link_name() const override { return kLinkName; }
  // cpg_mcast_joined(CPG_TYPE_AGREED). corosync's flow control
  // (CS_ERR_TRY_AGAIN) loses this copy only: the core asks again for a
  // sequenced message it missed (§5.8).
  Status send(std::span<const std::byte> message) override;
  int receive_fd() const override { return cpg_fd_; }
  int quorum_fd() const { return quorum_fd_; }
  // Deliveries come out of events() in order with the memberships;
  // receive() never has one of its own.
  Result<std::optional<Datagram>> receive() override { return std::optional<Datagram>{}; }

  // Reads what corosync sent on either connection. An error means
  // corosync went away: heartbeatd must stop.
  Status dispatch_cpg();
  Status dispatch_quorum();

  struct Delivery {
    std::string from;  // the sender's nodeid, for the log only
    std::vector<std::byte> bytes;
  };
  struct Members {
    std::vector<std::string> names;
    std::vector<std::uint32_t> unnamed;  // nodeids not in the nodelist
    bool quorate = false;
    std::vector<std::string> in_ring;  // nodes whose corosync is in the ring
  };
  struct Quorum {
    bool quorate = false;
  };
  using Event = std::variant<Delivery, Members, Quorum>;
  std::vector<Event> events();
  // Events wait for a quorum notification (the caller arms a time limit
  // and then calls give_up_waiting()).
  bool waiting() const { return sequencer_.waiting(); }
  Status give_up_waiting();

  // The sequencer, for the callbacks (corosync_link.cpp).
  RingSequencer& sequencer() { return sequencer_; }

 private:
  CorosyncLink() = default;
  Status read_nodelist();

  cpg_handle_t cpg_ = 0;
  quorum_handle_t quorum_ = 0;
  int cpg_fd_ = -1;
  int quorum_fd_ = -1;
  bool cpg_open_ = false;
  bool quorum_open_ = false;
  RingSequencer sequencer_;
  std::map<std::uint32_t, std::string> names_;
};

}  // namespace vigil::io
