#include "common/ipc/server.h"

#include <fmt/format.h>

#include "common/log.h"

namespace vigil::ipc {

namespace {

// Accepted per wakeup; the rest wait for the next loop iteration so a
// connection storm cannot starve heartbeats.
constexpr int kMaxAcceptsPerWakeup = 16;
constexpr Duration kAcceptRetryDelay = std::chrono::milliseconds(100);

}  // namespace

Server::Server(EventLoop& loop, UniqueFd listening, std::string label, PeerPolicy policy,
               AcceptCallback on_accept, ServerLimits limits)
    : loop_(loop),
      fd_(std::move(listening)),
      label_(std::move(label)),
      policy_(std::move(policy)),
      on_accept_(std::move(on_accept)),
      limits_(limits),
      open_(loop, label_, limits.max_connections),
      watcher_(loop, fd_.get(), IoWatcher::Interest::kRead, [this](IoReady) { on_acceptable(); }),
      retry_(loop, [this] { watcher_.start(); }) {
  watcher_.start();
}

Server::~Server() { *alive_ = false; }

Result<std::unique_ptr<Server>> Server::listen(EventLoop& loop, const std::string& path,
                                               mode_t mode, PeerPolicy policy,
                                               AcceptCallback on_accept, ServerLimits limits) {
  auto fd = ipc::listen(path, mode);
  if (!fd) return fd.error();
  return std::make_unique<Server>(loop, std::move(*fd), path, std::move(policy),
                                  std::move(on_accept), limits);
}

void Server::on_acceptable() {
  std::weak_ptr<bool> alive = alive_;
  for (int i = 0; i < kMaxAcceptsPerWakeup; ++i) {
    auto fd = accept(fd_.get());
    if (!fd) {
      // EMFILE and the like: the pending connection stays queued and a
      // level-triggered watcher would fire again at once, so pause.
      log::error(fmt::format("IPC server {}: {}", label_, fd.error().message));
      watcher_.stop();
      retry_.arm_after(kAcceptRetryDelay);
      return;
    }
    if (!fd->valid()) return;
    auto peer = peer_credentials(fd->get());
    if (!peer) {
      log::error(
          fmt::format("IPC server {}: {}; closing connection", label_, peer.error().message));
      continue;
    }
    if (!policy_.permits(*peer)) {
      ++refused_;
      log::warn(
          fmt::format("refusing IPC connection on {} from pid {} uid {} gid {}: not permitted",
                      label_, peer->pid, peer->uid, peer->gid),
          {{"VIGIL_EVENT", "ipc-peer-refused"},
           {"VIGIL_PEER_PID", std::to_string(peer->pid)},
           {"VIGIL_PEER_UID", std::to_string(peer->uid)}});
      continue;  // the UniqueFd closes it
    }
    auto slot = open_.take(*peer);
    if (!slot) {
      ++refused_;
      continue;
    }
    auto connection = std::make_unique<Connection>(loop_, std::move(*fd), *peer, label_);
    connection->hold(std::move(*slot));
    connection->close_if_silent(limits_.first_frame_within, Connection::Silence::kUntilFirstFrame);
    AcceptCallback on_accept = on_accept_;
    on_accept(std::move(connection));
    if (alive.expired()) return;
  }
}

}  // namespace vigil::ipc
