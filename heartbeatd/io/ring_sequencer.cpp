#include "heartbeatd/io/ring_sequencer.h"

#include <algorithm>
#include <utility>

namespace vigil::io {

void RingSequencer::on_ring(std::uint64_t seq, std::vector<std::uint32_t> nodeids) {
  if (seq < ring_) return;
  ring_ = seq;
  ring_nodes_ = std::move(nodeids);
}

void RingSequencer::on_members(std::vector<std::uint32_t> nodeids, bool nodes_down) {
  held_.push_back({nodes_down ? ring_ + 1 : ring_, Membership{std::move(nodeids), false, {}}});
}

void RingSequencer::on_delivery(std::uint32_t nodeid, std::vector<std::byte> bytes) {
  held_.push_back({ring_, Delivery{nodeid, std::move(bytes)}});
}

void RingSequencer::on_quorum(bool quorate, std::uint64_t ring_seq) {
  quorate_ = quorate;
  if (!quorum_ring_ || ring_seq > *quorum_ring_) quorum_ring_ = ring_seq;
  if (ring_seq > ring_) ring_ = ring_seq;  // the quorum service saw the ring first
  held_.push_back({ring_seq, Quorum{quorate}});
}

void RingSequencer::give_up_waiting(bool quorate_now) {
  quorate_ = quorate_now;
  // What corosync says now covers everything that waits.
  std::uint64_t newest = ring_;
  for (const Held& h : held_) newest = std::max(newest, h.ring);
  quorum_ring_ = newest;
  held_.push_back({newest, Quorum{quorate_now}});
}

bool RingSequencer::waiting() const {
  return !held_.empty() && (!quorum_ring_ || held_.front().ring > *quorum_ring_);
}

std::vector<RingSequencer::Event> RingSequencer::take() {
  std::vector<Event> out;
  while (!held_.empty() && quorum_ring_ && held_.front().ring <= *quorum_ring_) {
    Event e = std::move(held_.front().event);
    held_.pop_front();
    if (auto* m = std::get_if<Membership>(&e)) {
      // The newest quorum known covers this membership's ring.
      m->quorate = quorate_;
      m->ring = ring_nodes_;
      told_quorate_ = quorate_;
    } else if (auto* q = std::get_if<Quorum>(&e)) {
      // Only a change is news; a later notification already told wins.
      q->quorate = quorate_;
      if (told_quorate_ == quorate_) continue;
      told_quorate_ = quorate_;
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace vigil::io
