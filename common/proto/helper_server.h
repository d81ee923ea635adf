// What both root helpers' servers towards heartbeatd share (ipd/server.h,
// resourced/server.h; architecture.md, "Processes and trust", boundary 2):
// the connections and the lease. What a message means, and what a helper
// refuses, stays in the helper: its Session (permit machine) and its
// on_frame.
//
// - Every connection was checked with SO_PEERCRED against the PeerPolicy
//   before a byte is read, and against the connection limit and the
//   first-frame deadline (options.limits); others are closed and logged
//   with pid and uid (ipc::Server).
// - Each accepted connection gets a Session from `new_session`; each of its
//   frames goes to `on_frame` with that Session.
// - refuse(): a violation closes THAT connection with a log line naming the
//   peer's pid and uid and the violation; the others keep being served
//   (style.md: fatal for the connection, not the helper).
// - greet(): the connection said Hello and holds the lease from now on
//   (lease_keeper.h); renew(): a Lease from a holder.
// - A connection that closes, for whatever reason, is forgotten; if it held
//   the lease and was the last to, the lease clock starts.
// - Destroying the server closes every connection.
//
// `on_frame` may call refuse() or send() for the connection it was given,
// which may destroy that connection and its Session (connection.h permits
// it); it must not touch the Session afterwards.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/event_loop.h"
#include "common/ipc/connection.h"
#include "common/ipc/frame.h"
#include "common/ipc/peer_policy.h"
#include "common/ipc/server.h"
#include "common/log.h"
#include "common/proto/lease_keeper.h"
#include "common/result.h"
#include "common/unique_fd.h"

namespace vigil::proto {

struct HelperServerOptions {
  std::string label;  // names the socket in log lines: "ipd.sock"
  ipc::PeerPolicy policy;
  std::chrono::milliseconds default_lease{15000};
  LeaseWords words;
  ipc::ServerLimits limits;  // connections at once, first-frame deadline
};

// "pid P uid U", how log lines name a peer.
inline std::string peer_text(const ipc::Connection& c) {
  return fmt::format("pid {} uid {}", c.peer().pid, c.peer().uid);
}

template <class Session>
class HelperServer {
 public:
  using SessionFactory = std::function<Session()>;
  using FrameHandler =
      std::function<void(std::uint64_t id, Session& session, const ipc::Frame& frame)>;
  using Callback = LeaseKeeper::Callback;

  // Serves on `listening` at once; the lease clock starts now.
  // `on_lease_expired` and `on_status_change`: lease_keeper.h.
  HelperServer(EventLoop& loop, UniqueFd listening, HelperServerOptions options,
               SessionFactory new_session, FrameHandler on_frame, Callback on_lease_expired,
               Callback on_status_change)
      : options_(std::move(options)),
        new_session_(std::move(new_session)),
        on_frame_(std::move(on_frame)),
        lease_(loop, options_.label, options_.default_lease, options_.words,
               std::move(on_lease_expired), std::move(on_status_change)),
        server_(
            loop, std::move(listening), options_.label, options_.policy,
            [this](std::unique_ptr<ipc::Connection> c) { accept(std::move(c)); }, options_.limits) {
  }
  HelperServer(const HelperServer&) = delete;
  HelperServer& operator=(const HelperServer&) = delete;

  // Closes connection `id` for a protocol violation, logged with the peer.
  void refuse(std::uint64_t id, const std::string& why) {
    auto it = peers_.find(id);
    if (it == peers_.end()) return;
    it->second->connection->reject(Error{"protocol violation: " + why});
    forget(id);
  }

  // Connection `id` said Hello asking for `lease_ms`.
  void greet(std::uint64_t id, std::uint32_t lease_ms) {
    auto it = peers_.find(id);
    if (it == peers_.end()) return;
    it->second->holds_lease = true;
    lease_.on_hello(peer_text(*it->second->connection), lease_ms);
  }
  void renew(std::uint32_t lease_ms) { lease_.on_lease(lease_ms); }

  // Sends `message`, already encoded in the helper's vocabulary, on
  // connection `id`; false if that connection is gone. A message that did
  // not encode (a bug) is logged "<label>: cannot encode <what>: ...", a
  // send that failed "<label>: cannot send <what> to <peer>: ...", and a
  // connection the failure closed is forgotten.
  bool send(std::uint64_t id, const vigil::Result<ipc::Bytes>& message, std::string_view what) {
    auto it = peers_.find(id);
    if (it == peers_.end()) return false;
    auto frame = message ? ipc::decode_frame(*message) : vigil::Result<ipc::Frame>(message.error());
    if (!frame) {
      log::error(
          fmt::format("{}: cannot encode {}: {}", options_.label, what, frame.error().message));
      return true;
    }
    ipc::Connection& c = *it->second->connection;
    if (Status s = c.send(frame->type, frame->payload); !s) {
      // send() closes a connection whose queue overflowed and has logged
      // that with the peer already: one line per refusal.
      if (!c.is_open()) {
        forget(id);
        return true;
      }
      log::warn(fmt::format("{}: cannot send {} to {}: {}", options_.label, what, peer_text(c),
                            s.error().message));
    }
    return true;
  }

  // The connections that said Hello, in the order they were accepted.
  std::vector<std::uint64_t> holders() const {
    std::vector<std::uint64_t> ids;
    for (const auto& [id, peer] : peers_)
      if (peer->holds_lease) ids.push_back(id);
    return ids;
  }

  std::size_t connections() const { return peers_.size(); }
  const LeaseKeeper& lease() const { return lease_; }

 private:
  struct Peer {
    std::unique_ptr<ipc::Connection> connection;
    Session session;
    bool holds_lease = false;
  };

  void accept(std::unique_ptr<ipc::Connection> connection) {
    const std::uint64_t id = next_peer_++;
    auto peer = std::make_unique<Peer>(Peer{std::move(connection), new_session_(), false});
    ipc::Connection& c = *peer->connection;
    peers_.emplace(id, std::move(peer));
    log::debug(fmt::format("{}: connection from {}", options_.label, peer_text(c)));
    c.start(
        [this, id](ipc::Frame frame) {
          if (auto it = peers_.find(id); it != peers_.end())
            on_frame_(id, it->second->session, frame);
        },
        [this, id](const Error&) { forget(id); });
  }

  void forget(std::uint64_t id) {
    auto it = peers_.find(id);
    if (it == peers_.end()) return;
    const bool held = it->second->holds_lease;
    const std::string who = peer_text(*it->second->connection);
    // The Connection may be the one whose callback is running: destroying
    // it from there is permitted (connection.h).
    peers_.erase(it);
    if (held) lease_.on_holder_gone(who);
  }

  HelperServerOptions options_;
  SessionFactory new_session_;
  FrameHandler on_frame_;
  LeaseKeeper lease_;
  std::uint64_t next_peer_ = 1;
  std::map<std::uint64_t, std::unique_ptr<Peer>> peers_;
  ipc::Server server_;
};

}  // namespace vigil::proto
