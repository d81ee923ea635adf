// DRBD's resource fencing between two vigil nodes (issue 14): what
// heartbeat clusters had from `fence-peer "/usr/lib/heartbeat/drbd-peer-
// outdater"` and dopd, rebuilt on vigil's own cluster messages.
//
// When DRBD on this node loses its replication link while primary (fencing
// resource-only or resource-and-stonith), it runs its fence-peer handler;
// vigil's (vigilctl/drbd_fence_peer_main.cpp) asks heartbeatd over the
// control socket, naming the DRBD resource, and exits with the answer:
//
//   asker (this module, node A)           peer (this module, node B)
//   OutdatePeer{asker, r0, B, 5 s}
//     r0 not drbddisk::r0 here  -> 1
//     B dead or never heard     -> 5
//     else vigil-outdate-peer xid r0 ---> r0 not drbddisk::r0 here
//          (dest B), wait                   -> reply unknown-resource (1)
//                                         else OutdateCall (resourced:
//                                           `drbdadm outdate r0`) and reply
//     <--- vigil-outdate-peer-reply -----  outdated / inconsistent /
//          xid r0 RESULT                    primary / failed
//     answer 4 / 3 / 6 / 5 / 1
//   no reply by the timeout, or B declared dead meanwhile -> 5
//
// drbdadm outdate's exit codes are DRBD's (0 outdated, 5 inconsistent, 17
// primary), read as DRBD's own outdate-peer.sh reads them; any other
// failure answers 5, as that script and dopd did: the peer could not be
// outdated, which DRBD must treat like a peer it cannot reach. The messages
// go through the membership core with `dest`, so they are sequenced,
// retransmitted when lost, and dropped by a heartbeat peer (§5.7); such a
// peer never answers, and the asker gets 5 at its timeout.
//
// Sans-IO: the time comes in, messages, resourced tasks, answers and log
// lines go out.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "common/clock.h"
#include "conf/config.h"
#include "heartbeatd/core/actions.h"
#include "heartbeatd/engine/vocabulary.h"

namespace vigil::engine {

// The longest a handler may wait: heartbeatd's control socket closes a
// client silent for 30 s (control_server.h).
inline constexpr Duration kMaxOutdateTimeout = std::chrono::seconds(25);

class PeerOutdate {
 public:
  // Run `drbdadm outdate` here; the module's `token` comes back with the
  // answer (on_task_done).
  struct Task {
    std::uint32_t token = 0;
    std::uint16_t resource_index = 0;
  };
  using Action = std::variant<ownership::SendMessage, Log, Task, OutdateAnswer>;
  using Actions = std::vector<Action>;

  explicit PeerOutdate(const conf::Config& config) : config_(config) {}

  Actions ask(const OutdatePeer& request, MonoTime now);
  // MembershipEvents (who is up) and Deliveries of the two message types;
  // anything else is ignored.
  Actions on_membership(const core::Action& action);
  // resourced's answer to Task{token}; nullptr when it was no resourced
  // reply (the helper's connection failed).
  Actions on_task_done(std::uint32_t token, const proto::resourced::Reply* reply);
  Actions on_tick(MonoTime now);
  std::optional<MonoTime> next_deadline() const;

  std::size_t waiting() const { return asked_.size(); }

 private:
  struct Asked {
    std::uint32_t asker = 0;
    std::string peer;
    std::string drbd;
    MonoTime deadline;
  };
  struct Running {
    std::string from;
    std::uint64_t xid = 0;
    std::string drbd;
  };

  void answer(Actions& out, std::uint32_t asker, OutdateResult result, std::string text);
  void on_request(const std::string& from, const messages::OutdatePeer& m, Actions& out);
  void on_reply(const std::string& from, const messages::OutdatePeerReply& m, Actions& out);
  std::optional<std::string> peer_for(const std::string& named) const;

  const conf::Config& config_;
  std::set<std::string> up_;                  // peers heard and not dead since
  std::map<std::uint64_t, Asked> asked_;      // by xid
  std::map<std::uint32_t, Running> running_;  // by task token
  std::uint64_t next_xid_ = 1;
  std::uint32_t next_token_ = 1;
};

// The reply word for drbdadm outdate's exit code, and the handler's answer
// for a reply word (unknown words are a failure).
std::string outdate_word(int drbdadm_exit);
OutdateResult outdate_result(const std::string& word);

}  // namespace vigil::engine
