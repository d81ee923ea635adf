// A listening IPC socket on the event loop. Each connection is checked
// against a PeerPolicy with SO_PEERCRED before anything is read from it: a
// peer the policy does not permit is closed at once and logged with its
// pid and uid (architecture.md, trust boundaries). Permitted connections
// are handed to the owner, which installs its callbacks and owns them.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/event_loop.h"
#include "common/io_watcher.h"
#include "common/ipc/connection.h"
#include "common/ipc/peer_policy.h"
#include "common/result.h"
#include "common/timer.h"
#include "common/unique_fd.h"

namespace vigil::ipc {

class Server {
 public:
  // Must call Connection::start() on the connection it receives.
  using AcceptCallback = std::function<void(std::unique_ptr<Connection>)>;

  // Serves on an already listening socket (one from ipc::listen, or one
  // systemd passed in by socket activation). Starts accepting at once.
  Server(EventLoop& loop, UniqueFd listening, std::string label, PeerPolicy policy,
         AcceptCallback on_accept);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // ipc::listen(path, mode) + the constructor; `path` becomes the label.
  static Result<std::unique_ptr<Server>> listen(EventLoop& loop, const std::string& path,
                                                mode_t mode, PeerPolicy policy,
                                                AcceptCallback on_accept);

  const std::string& label() const { return label_; }
  // Connections refused by the policy since start (for tests and status).
  std::size_t refused_count() const { return refused_; }

 private:
  void on_acceptable();

  EventLoop& loop_;
  UniqueFd fd_;
  std::string label_;
  PeerPolicy policy_;
  AcceptCallback on_accept_;
  IoWatcher watcher_;
  Timer retry_;  // resumes accepting after a failed accept()
  std::size_t refused_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace vigil::ipc
