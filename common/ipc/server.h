// A listening IPC socket on the event loop. Each connection is checked
// against a PeerPolicy with SO_PEERCRED before anything is read from it: a
// peer the policy does not permit is closed at once and logged with its
// pid and uid (architecture.md, trust boundaries). Permitted connections
// are handed to the owner, which installs its callbacks and owns them.
//
// What a permitted peer may cost is bounded too (ServerLimits): at most
// `max_connections` open at once (connection_limit.h), and a connection
// must send its first frame within `first_frame_within` or it is closed,
// so a peer cannot hold slots by connecting and saying nothing. Either
// refusal is logged once with the peer's pid and uid.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/event_loop.h"
#include "common/io_watcher.h"
#include "common/ipc/connection.h"
#include "common/ipc/connection_limit.h"
#include "common/ipc/peer_policy.h"
#include "common/result.h"
#include "common/timer.h"
#include "common/unique_fd.h"

namespace vigil::ipc {

struct ServerLimits {
  // Far above what a helper needs (heartbeatd holds one connection, a
  // tool briefly another) and far below the descriptor limit.
  std::size_t max_connections = 32;
  // Every client speaks first (Hello, a request) right after connecting.
  Duration first_frame_within = std::chrono::seconds(5);
};

class Server {
 public:
  // Must call Connection::start() on the connection it receives.
  using AcceptCallback = std::function<void(std::unique_ptr<Connection>)>;

  // Serves on an already listening socket (one from ipc::listen, or one
  // systemd passed in by socket activation). Starts accepting at once.
  Server(EventLoop& loop, UniqueFd listening, std::string label, PeerPolicy policy,
         AcceptCallback on_accept, ServerLimits limits = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // ipc::listen(path, mode) + the constructor; `path` becomes the label.
  static Result<std::unique_ptr<Server>> listen(EventLoop& loop, const std::string& path,
                                                mode_t mode, PeerPolicy policy,
                                                AcceptCallback on_accept, ServerLimits limits = {});

  const std::string& label() const { return label_; }
  // Connections refused by the policy since start (for tests and status).
  std::size_t refused_count() const { return refused_; }
  // Connections accepted and not yet destroyed.
  std::size_t open_count() const { return open_.in_use(); }

 private:
  void on_acceptable();

  EventLoop& loop_;
  UniqueFd fd_;
  std::string label_;
  PeerPolicy policy_;
  AcceptCallback on_accept_;
  ServerLimits limits_;
  ConnectionLimit open_;
  IoWatcher watcher_;
  Timer retry_;  // resumes accepting after a failed accept()
  std::size_t refused_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace vigil::ipc
