#include "heartbeatd/engine/peer_outdate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <utility>

#include "conf/drbd_resources.h"

namespace vigil::engine {

namespace {

namespace pr = proto::resourced;

constexpr const char* kEvent = "drbd-outdate";

// drbdadm outdate's exit codes (DRBD's outdate-peer.sh reads the same).
constexpr int kDrbdadmOutdated = 0;
constexpr int kDrbdadmInconsistent = 5;
constexpr int kDrbdadmPrimary = 17;

constexpr const char* kWordOutdated = "outdated";
constexpr const char* kWordInconsistent = "inconsistent";
constexpr const char* kWordPrimary = "primary";
constexpr const char* kWordFailed = "failed";
constexpr const char* kWordUnknown = "unknown-resource";

Log line(log::Priority priority, std::string text, const std::string& node,
         const std::string& drbd) {
  return Log{priority,
             std::move(text),
             {{"VIGIL_NODE", node}, {"VIGIL_DRBD_RESOURCE", drbd}, {"VIGIL_EVENT", kEvent}}};
}

}  // namespace

std::string outdate_word(int drbdadm_exit) {
  switch (drbdadm_exit) {
    case kDrbdadmOutdated:
      return kWordOutdated;
    case kDrbdadmInconsistent:
      return kWordInconsistent;
    case kDrbdadmPrimary:
      return kWordPrimary;
    default:
      return kWordFailed;
  }
}

OutdateResult outdate_result(const std::string& word) {
  if (word == kWordOutdated) return OutdateResult::kOutdated;
  if (word == kWordInconsistent) return OutdateResult::kInconsistent;
  if (word == kWordPrimary) return OutdateResult::kPrimary;
  if (word == kWordUnknown) return OutdateResult::kRefused;
  return OutdateResult::kUnreachable;  // "failed", or a word we do not know
}

// The node DRBD calls the peer must be a normal node of ha.cf other than
// us; without a name, a two-node cluster's other node is the peer.
std::optional<std::string> PeerOutdate::peer_for(const std::string& named) const {
  std::vector<std::string> others;
  for (const auto& n : config_.ha_cf.nodes)
    if (n != config_.local_node) others.push_back(n);
  if (named.empty()) {
    if (others.size() == 1) return others[0];
    return std::nullopt;
  }
  // ha.cf node names are lower-cased (conf/node_name.h); DRBD's `on` names
  // are uname -n, which may not be.
  std::string lower = named;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (std::find(others.begin(), others.end(), lower) != others.end()) return lower;
  return std::nullopt;
}

void PeerOutdate::answer(Actions& out, std::uint32_t asker, OutdateResult result,
                         std::string text) {
  out.emplace_back(OutdateAnswer{asker, result, std::move(text)});
}

PeerOutdate::Actions PeerOutdate::ask(const OutdatePeer& request, MonoTime now) {
  Actions out;
  if (!conf::drbd_resource_index(config_, request.drbd)) {
    answer(out, request.asker, OutdateResult::kRefused,
           fmt::format("DRBD resource {} is not a drbddisk::{} entry of haresources", request.drbd,
                       request.drbd));
    return out;
  }
  auto peer = peer_for(request.peer);
  if (!peer) {
    answer(out, request.asker, OutdateResult::kRefused,
           request.peer.empty()
               ? std::string("ha.cf names more than one other node; the handler must name the peer")
               : fmt::format("{} is not another node of ha.cf", request.peer));
    return out;
  }
  if (!up_.contains(*peer)) {
    // dopd's answer too: heartbeat says the peer is dead, so nobody can
    // outdate it, and DRBD decides what an unreachable peer means.
    out.emplace_back(line(log::Priority::kWarn,
                          fmt::format("DRBD fence-peer: cannot outdate {} on {}: node is not up",
                                      request.drbd, *peer),
                          *peer, request.drbd));
    answer(out, request.asker, OutdateResult::kUnreachable, fmt::format("{} is not up", *peer));
    return out;
  }
  const Duration timeout =
      std::clamp(request.timeout, Duration(std::chrono::milliseconds(100)), kMaxOutdateTimeout);
  const std::uint64_t xid = next_xid_++;
  asked_.emplace(xid, Asked{request.asker, *peer, request.drbd, now + timeout});
  out.emplace_back(
      line(log::Priority::kInfo,
           fmt::format("DRBD fence-peer: asking {} to outdate {}", *peer, request.drbd), *peer,
           request.drbd));
  out.emplace_back(ownership::SendMessage{messages::OutdatePeer{xid, request.drbd}, *peer});
  return out;
}

PeerOutdate::Actions PeerOutdate::on_membership(const core::Action& action) {
  Actions out;
  if (const auto* e = std::get_if<core::MembershipEvent>(&action)) {
    if (e->kind == core::EventKind::kNodeUp || e->kind == core::EventKind::kPeerRestarted ||
        e->kind == core::EventKind::kPeerReturnedAfterPartition) {
      up_.insert(e->node);
    } else if (e->kind == core::EventKind::kNodeDead) {
      up_.erase(e->node);
      // No answer will come: the asker need not wait for its timeout.
      for (auto it = asked_.begin(); it != asked_.end();) {
        if (it->second.peer != e->node) {
          ++it;
          continue;
        }
        answer(out, it->second.asker, OutdateResult::kUnreachable,
               fmt::format("{} was declared dead before it answered", e->node));
        it = asked_.erase(it);
      }
    }
    return out;
  }
  if (const auto* d = std::get_if<core::Deliver>(&action)) {
    if (const auto* r = std::get_if<messages::OutdatePeer>(&d->message.body))
      on_request(d->from, *r, out);
    else if (const auto* p = std::get_if<messages::OutdatePeerReply>(&d->message.body))
      on_reply(d->from, *p, out);
  }
  return out;
}

// The peer's side: only a drbddisk resource of our own haresources is
// outdated, whatever the message names (trust boundary 2: heartbeatd
// hands resourced an index, resourced checks it again).
void PeerOutdate::on_request(const std::string& from, const messages::OutdatePeer& m,
                             Actions& out) {
  if (!m.xid) return;  // nothing to pair a reply with
  auto index = conf::drbd_resource_index(config_, m.drbd);
  if (!index) {
    out.emplace_back(line(log::Priority::kWarn,
                          fmt::format("DRBD fence-peer: {} asked to outdate {}, which is not a "
                                      "drbddisk entry of haresources here; refused",
                                      from, m.drbd),
                          from, m.drbd));
    out.emplace_back(
        ownership::SendMessage{messages::OutdatePeerReply{m.xid, m.drbd, kWordUnknown}, from});
    return;
  }
  const std::uint32_t token = next_token_++;
  running_.emplace(token, Running{from, *m.xid, m.drbd});
  out.emplace_back(line(log::Priority::kWarn,
                        fmt::format("DRBD fence-peer: {} asks to outdate {}; running drbdadm "
                                    "outdate {}",
                                    from, m.drbd, m.drbd),
                        from, m.drbd));
  out.emplace_back(Task{token, static_cast<std::uint16_t>(*index)});
}

PeerOutdate::Actions PeerOutdate::on_task_done(std::uint32_t token, const pr::Reply* reply) {
  Actions out;
  auto it = running_.find(token);
  if (it == running_.end()) return out;
  const Running r = std::move(it->second);
  running_.erase(it);
  std::string word = kWordFailed;
  if (reply != nullptr &&
      (reply->outcome == pr::Outcome::kOk || reply->outcome == pr::Outcome::kFailed))
    word = outdate_word(reply->exit_status);
  const bool ok = word == kWordOutdated;
  out.emplace_back(line(ok ? log::Priority::kInfo : log::Priority::kWarn,
                        fmt::format("DRBD fence-peer: drbdadm outdate {}: {}{}", r.drbd, word,
                                    reply != nullptr && !ok && !reply->output_tail.empty()
                                        ? " (" + reply->output_tail + ")"
                                        : std::string()),
                        r.from, r.drbd));
  out.emplace_back(
      ownership::SendMessage{messages::OutdatePeerReply{r.xid, r.drbd, std::move(word)}, r.from});
  return out;
}

void PeerOutdate::on_reply(const std::string& from, const messages::OutdatePeerReply& m,
                           Actions& out) {
  if (!m.xid) return;
  auto it = asked_.find(*m.xid);
  // Late (the asker had its answer at the timeout) or not from the node
  // asked: nothing waits for it.
  if (it == asked_.end() || it->second.peer != from || it->second.drbd != m.drbd) return;
  const Asked a = std::move(it->second);
  asked_.erase(it);
  const OutdateResult result = outdate_result(m.result);
  out.emplace_back(line(
      result == OutdateResult::kOutdated ? log::Priority::kInfo : log::Priority::kWarn,
      fmt::format("DRBD fence-peer: {} answers {} for {}", from, m.result, a.drbd), from, a.drbd));
  answer(out, a.asker, result, fmt::format("{} answered {}", from, m.result));
}

PeerOutdate::Actions PeerOutdate::on_tick(MonoTime now) {
  Actions out;
  for (auto it = asked_.begin(); it != asked_.end();) {
    if (now < it->second.deadline) {
      ++it;
      continue;
    }
    out.emplace_back(line(log::Priority::kWarn,
                          fmt::format("DRBD fence-peer: {} did not answer for {} in time",
                                      it->second.peer, it->second.drbd),
                          it->second.peer, it->second.drbd));
    answer(out, it->second.asker, OutdateResult::kUnreachable,
           fmt::format("{} did not answer in time", it->second.peer));
    it = asked_.erase(it);
  }
  return out;
}

std::optional<MonoTime> PeerOutdate::next_deadline() const {
  std::optional<MonoTime> next;
  for (const auto& [xid, a] : asked_)
    if (!next || a.deadline < *next) next = a.deadline;
  return next;
}

}  // namespace vigil::engine
