// Retransmission (heartbeat-compat.md §5.8): asking peers for the packets
// we missed, answering their requests from the send history, and NAKs.
#include "heartbeatd/core/core.h"
#include "heartbeatd/core/log_texts.h"
#include "heartbeatd/core/numbers.h"

namespace vigil::core {

void Core::send_due_rexmit_requests(MonoTime now, Actions& out) {
  for (auto& n : nodes_.nodes()) {
    // Only while the node is up: a dead node's gaps were dropped (resync).
    if (n.local || n.dead) continue;
    for (std::uint64_t seq : n.seq.take_due(now, now + kRexmitRepeat)) {
      wire::Message m;
      m.set("t", "NS_rexmit");
      m.set("dest", n.name);
      m.set("firstseq", to_dec(seq));
      m.set("lastseq", to_dec(seq));
      send_unsequenced(std::move(m), n.name, out);
      ++n.rexmit_requests;
      ++counters_.rexmit_requests_sent;
    }
  }
}

void Core::handle_rexmit_request(NodeState& node, const wire::Message& m, MonoTime now,
                                 Actions& out) {
  // A request from an earlier incarnation of the peer is a replay: ignore.
  if (const std::string* hg = m.get("hg")) {
    const auto g = parse_hex(*hg);
    const auto known = node.seq.generation();
    if (!g || (known && *g < *known)) return;
  }
  const auto first = parse_dec(m.get_or("firstseq", ""));
  const auto last = parse_dec(m.get_or("lastseq", ""));
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
    const wire::Message* stored = nullptr;
    const auto found = history_.take_for_resend(seq, now, &stored);
    if (found == SendHistory::Lookup::kFound) {
      Send s;
      s.message = *stored;
      if (const std::string* dest = stored->get("dest")) s.dest = *dest;
      s.seq = seq;
      s.generation = generation_;
      s.retransmission = true;
      out.push_back(std::move(s));
      ++counters_.rexmits_sent;
    } else if (found != SendHistory::Lookup::kTooRecent) {
      const std::string_view reason =
          found == SendHistory::Lookup::kTooLow ? "seqno too low" : "seqno not found";
      out.push_back(texts::cannot_rexmit(node.name, seq, reason));
      wire::Message nak;
      nak.set("t", "NS_nak_rexmit");
      nak.set("dest", node.name);
      nak.set("firstseq", to_hex(seq));
      nak.set("info", std::string(reason));
      send_unsequenced(std::move(nak), node.name, out);
      ++counters_.naks_sent;
    }
    if (seq == *last) break;
  }
}

void Core::handle_nak(NodeState& node, const wire::Message& m, Actions& out) {
  // Only a NAK from the current incarnation may close a gap of it.
  const auto hg = parse_hex(m.get_or("hg", ""));
  if (!hg || node.seq.generation() != hg) return;
  const auto seq = parse_hex(m.get_or("firstseq", ""));
  if (!seq || !node.seq.forget(*seq)) return;
  out.push_back(texts::irretrievably_lost(node.name, *seq));
}

}  // namespace vigil::core
