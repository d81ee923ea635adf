// One IPC connection on the event loop: frames in through a callback,
// frames out through send() with a bounded queue for when the peer is slow.
//
// A connection closes itself, logs why with the peer's pid and uid, and
// calls on_closed when the peer hangs up or breaks the framing rules
// (frame_format.h): a malformed frame is fatal for the connection, never
// for the process. close() and reject() by the owner do not call
// on_closed.
//
// The owner may destroy the Connection from inside either callback.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/event_loop.h"
#include "common/io_watcher.h"
#include "common/ipc/connection_limit.h"
#include "common/ipc/frame.h"
#include "common/ipc/socket.h"
#include "common/result.h"
#include "common/timer.h"
#include "common/unique_fd.h"

namespace vigil::ipc {

class Connection {
 public:
  using FrameCallback = std::function<void(Frame frame)>;
  // Why the connection ended: "peer closed the connection" or the
  // violation that made us close it.
  using ClosedCallback = std::function<void(const Error& reason)>;

  // Frames, and bytes in them, a peer may have queued before the
  // connection is considered stuck and closed: a slow reader costs at most
  // this much memory, however many replies it provokes.
  static constexpr std::size_t kMaxQueuedFrames = 256;
  static constexpr std::size_t kMaxQueuedBytes = 1024 * 1024;

  // What close_if_silent() measures.
  enum class Silence {
    kUntilFirstFrame,  // the first frame must come in time; then no limit
    kBetweenFrames,    // every frame must follow the previous one in time
  };

  // Takes a connected socket. `label` names the socket in log lines
  // (e.g. "resourced.sock").
  Connection(EventLoop& loop, UniqueFd fd, PeerCredentials peer, std::string label);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Connects to a server's socket at `path`.
  static Result<std::unique_ptr<Connection>> connect(EventLoop& loop, const std::string& path);

  // Installs the callbacks and starts reading.
  void start(FrameCallback on_frame, ClosedCallback on_closed);

  // Sends one frame, or queues it while the socket is full. Fails if the
  // connection is closed, the payload is too large, or the queue is full
  // (the connection is then closed).
  Status send(std::uint16_t type, ByteView payload);

  // Closes the connection (logged with the peer; on_closed is called) when
  // no frame arrives within `limit`, measured as `rule` says: a peer that
  // connects, or starts a request, and then goes quiet cannot keep a
  // connection slot (connection_limit.h) forever.
  void close_if_silent(Duration limit, Silence rule);

  // Keeps `slot` until this connection is destroyed.
  void hold(ConnectionLimit::Slot slot) { slot_.emplace(std::move(slot)); }

  // Closes without calling on_closed.
  void close();
  // For the owner's own protocol checks (a message of a type it does not
  // accept, a field out of range): logs `why` with the peer, then close().
  void reject(const Error& why);

  bool is_open() const { return fd_.valid(); }
  const PeerCredentials& peer() const { return peer_; }
  const std::string& label() const { return label_; }

 private:
  void on_readable();
  void on_writable();
  void on_silence();
  void fail(const Error& why);  // log, close, on_closed

  EventLoop& loop_;
  UniqueFd fd_;
  PeerCredentials peer_;
  std::string label_;
  std::unique_ptr<IoWatcher> reader_;
  std::unique_ptr<IoWatcher> writer_;
  std::deque<Bytes> queue_;
  std::size_t queued_bytes_ = 0;
  std::unique_ptr<Timer> silence_;
  Duration silence_limit_{};
  Silence silence_rule_ = Silence::kUntilFirstFrame;
  std::optional<ConnectionLimit::Slot> slot_;
  FrameCallback on_frame_;
  ClosedCallback on_closed_;
  // Expires when this object is destroyed, so a loop that ran a callback
  // can tell whether it may touch members again.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace vigil::ipc
