// Retransmission (heartbeat-compat.md §5.8): asking peers for the packets
// we missed, answering their requests from the send history, and NAKs.
#include "heartbeatd/core/core.h"
#include "heartbeatd/core/log_texts.h"

namespace vigil::core {

void Core::send_due_rexmit_requests(MonoTime now, Actions& out) {
  for (auto& n : nodes_.nodes()) {
    // Only while the node is up: a dead node's gaps were dropped (resync).
    if (n.local || n.dead) continue;
    for (std::uint64_t seq : n.seq.take_due(now, now + kRexmitRepeat)) {
      send_unsequenced(messages::RexmitRequest{seq, seq}, n.name, out);
      ++n.rexmit_requests;
      ++counters_.rexmit_requests_sent;
    }
  }
}

void Core::handle_rexmit_request(NodeState& node, const messages::Header& h,
                                 const messages::RexmitRequest& m, MonoTime now, Actions& out) {
  // A request from an earlier incarnation of the peer is a replay: ignore.
  if (h.has_generation) {
    const auto known = node.seq.generation();
    if (!h.generation || (known && *h.generation < *known)) return;
  }
  const auto& first = m.firstseq;
  const auto& last = m.lastseq;
  if (!first || !last || *last < *first) {
    ++counters_.malformed_drops;
    return;
  }
  const std::uint64_t max = next_seq_ - 1;
  std::uint64_t count = 0;
  for (std::uint64_t seq = *first; count < kMaxRexmitPerRequest; ++seq, ++count) {
    if (seq > max) {
      out.push_back(texts::rexmit_above_max(seq, max));
      break;
    }
    const Send* stored = nullptr;
    const auto found = history_.take_for_resend(seq, now, &stored);
    if (found == SendHistory::Lookup::kFound) {
      Send s = *stored;
      s.generation = generation_;
      s.retransmission = true;
      out.push_back(std::move(s));
      ++counters_.rexmits_sent;
    } else if (found != SendHistory::Lookup::kTooRecent) {
      const std::string_view reason =
          found == SendHistory::Lookup::kTooLow ? "seqno too low" : "seqno not found";
      out.push_back(texts::cannot_rexmit(node.name, seq, reason));
      send_unsequenced(messages::NakRexmit{seq, std::string(reason)}, node.name, out);
      ++counters_.naks_sent;
    }
    if (seq == *last) break;
  }
}

void Core::handle_nak(NodeState& node, const messages::Header& h, const messages::NakRexmit& m,
                      Actions& out) {
  // Only a NAK from the current incarnation may close a gap of it.
  if (!h.generation || node.seq.generation() != h.generation) return;
  if (!m.firstseq || !node.seq.forget(*m.firstseq)) return;
  out.push_back(texts::irretrievably_lost(node.name, *m.firstseq));
}

}  // namespace vigil::core
