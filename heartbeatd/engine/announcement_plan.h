// When this node announces the virtual IPs it holds once more (gratuitous
// ARP / unsolicited NA, sent by ipd): a sans-IO decision, data in, a verdict
// out. ResourceEngine (resource_engine.h) turns a verdict into one ipd
// AnnounceVip per IP entry of every group it holds quietly (running, no
// walk on it); a group being taken or given is announced by its own walk.
//
// Why (heartbeat-compat.md §6.8, §9 item 4; field-notes A1, A2):
//   * A healed partition. Both nodes held the address while they could
//     not hear each other, and the other one announced it last: clients and
//     switches send to the other node's MAC. The home node keeps the group
//     and the other gives it back within milliseconds (ownership.h), but
//     nothing tells the clients: their ARP entry ages out and is probed
//     again only after several seconds (8.2-8.4 s measured). heartbeat
//     restarts both nodes instead; keepalived's staying master sends
//     nothing, leaving clients stranded (issue 14). So the holder announces
//     again (a) as soon as it sees the peer return, and (b) whenever that
//     peer reports its resources (`resource`, `shutdone`) during the
//     following kHealWatch: a vigil peer reports right after it gave the
//     group back, a heartbeat 3.0.6 peer sends `shutdone` once its restart
//     gave everything up (§5.8, §6.7). (a) takes the clients back at once;
//     (b) makes sure the last word is ours once the other node no longer
//     answers for the address. Both are the agent's whole schedule
//     (AnnounceKind::kAgain).
//   * Switches and clients that forget (keepalived's garp_master_refresh):
//     with vigil.cf's garp_refresh set, every held address is announced
//     again at that period, garp_refresh_repeat rounds each time
//     (AnnounceKind::kRefresh). Off by default, as in keepalived.
// Nothing is sent on the cluster wire: a heartbeat peer sees no difference.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/proto/ipd_messages.h"
#include "heartbeatd/core/actions.h"

namespace vigil::engine {

class AnnouncementPlan {
 public:
  // How long after a heal the returned peer's reports still call for an
  // announcement: a heartbeat peer gives up 2 s after it noticed the heal
  // (§5.8) and then restarts; 30 s covers a slow resource stop.
  static constexpr Duration kHealWatch = std::chrono::seconds(30);

  // `refresh` zero: no periodic refresh.
  explicit AnnouncementPlan(Duration refresh) : refresh_(refresh) {}

  struct Verdict {
    proto::ipd::AnnounceKind kind = proto::ipd::AnnounceKind::kAgain;
    std::string why;  // for the log line; empty for the periodic refresh
  };

  // The refresh period starts now. Call once, first.
  void start(MonoTime now);
  // A MembershipEvent or Deliver of the core (other actions: nothing).
  std::optional<Verdict> on_membership(const core::Action& action, MonoTime now);
  // At or after next_deadline() (early is harmless).
  std::optional<Verdict> on_tick(MonoTime now);
  std::optional<MonoTime> next_deadline() const;

  // The peers being watched after a heal, and until when (tests).
  const std::map<std::string, MonoTime, std::less<>>& watching() const { return watch_; }

 private:
  Duration refresh_;
  std::optional<MonoTime> next_refresh_;
  std::map<std::string, MonoTime, std::less<>> watch_;  // peer -> end of its watch
};

}  // namespace vigil::engine
