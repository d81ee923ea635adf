// The order in which corosync's events reach heartbeatd's engine
// (vigil.cf `membership corosync`). CPG and the quorum API are two IPC
// connections: after a split, the minority can read CPG's new membership
// (peers gone) before the quorum service's "not quorate" for that ring,
// and a minority that acted on the deaths first would take groups over.
// So every CPG event that follows a new totem ring is held back until the
// quorum notification of that ring (or a later one) has arrived, and a
// membership goes out together with that quorum (engine::MembershipChange).
// Deliveries stay in CPG's agreed order relative to the memberships.
// Sans IO: corosync_link.cpp feeds it from the callbacks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <variant>
#include <vector>

namespace vigil::io {

class RingSequencer {
 public:
  struct Delivery {
    std::uint32_t nodeid = 0;
    std::vector<std::byte> bytes;
  };
  struct Membership {
    std::vector<std::uint32_t> nodeids;  // the CPG group's members
    bool quorate = false;                // the quorum of its ring
    std::vector<std::uint32_t> ring;     // the nodes of the newest ring known
  };
  struct Quorum {
    bool quorate = false;
  };
  using Event = std::variant<Delivery, Membership, Quorum>;

  // CPG's totem configuration change: a new ring `seq` of `nodeids`.
  void on_ring(std::uint64_t seq, std::vector<std::uint32_t> nodeids = {});
  // CPG's group membership, and a message delivered to the group.
  // `nodes_down`: members left because their node left the ring
  // (CPG_REASON_NODEDOWN). corosync delivers those leaves while it syncs
  // the new ring, before that ring's totem confchg (corosync's cpg.c sync
  // order), so they wait for the quorum of a ring newer than the last one
  // seen. A process that left a ring that stays is not a quorum matter.
  void on_members(std::vector<std::uint32_t> nodeids, bool nodes_down);
  void on_delivery(std::uint32_t nodeid, std::vector<std::byte> bytes);
  // The quorum API's notification for ring `ring_seq`.
  void on_quorum(bool quorate, std::uint64_t ring_seq);
  // The quorum notification did not come (the edge's time limit): release
  // what waits with the quorum corosync reports now.
  void give_up_waiting(bool quorate_now);

  // Everything that may reach the engine now, in order.
  std::vector<Event> take();
  // Events are held back for a quorum notification.
  bool waiting() const;

 private:
  struct Held {
    std::uint64_t ring = 0;  // released once the quorum of this ring is known
    Event event;
  };
  std::deque<Held> held_;
  std::uint64_t ring_ = 0;
  std::vector<std::uint32_t> ring_nodes_;
  std::optional<std::uint64_t> quorum_ring_;
  bool quorate_ = false;
  std::optional<bool> told_quorate_;  // the last quorum released
};

}  // namespace vigil::io
