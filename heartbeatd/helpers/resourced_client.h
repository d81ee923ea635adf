// heartbeatd's side of the resourced boundary (resourced/server.h): one
// connection to RUNTIME_DIR/resourced.sock on the event loop.
//
//   ResourcedClient client(loop, {socket, config.hash, lease_ms}, on_state);
//   client.start();
//   client.request({group, position}, Op::kStart, [](const Reply& r) {...});
//
// - On every (re)connection it sends Hello (our configuration hash, the
//   lease) and then every request still waiting for its Reply, in id
//   order. A request cut off by a resourced restart is thus sent again;
//   that is safe because start of a running resource and stop of a stopped
//   one succeed (resourced_messages.h).
// - When the connection drops (resourced restarting, or it closed us for a
//   violation) it reconnects with exponential backoff from `first_retry`
//   up to `max_retry`, and never waits more than a quarter of the lease
//   between attempts (retry_backoff.h: a restarted helper releases
//   everything unless we are back within a lease of its start), and reports connected/disconnected through the
//   state callback. Requests made while disconnected wait for the next
//   connection; their callbacks are called when the Reply arrives, never
//   with a made-up answer.
// - No keep-alive: resourced's lease clock runs only while this connection
//   is closed (lease.h), so an idle open connection holds the lease
//   indefinitely, and the kernel tells both sides at once when either
//   process dies.
// - The server must be `server_uid` (root), checked with SO_PEERCRED: a
//   socket someone else managed to put at that path is not resourced.
//   Anything but a well-formed Reply to a pending request from the server
//   closes the connection (then reconnect), as the server does to us.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "common/clock.h"
#include "common/event_loop.h"
#include "common/ipc/connection.h"
#include "common/proto/resourced_messages.h"
#include "common/timer.h"
#include "heartbeatd/helpers/retry_backoff.h"

namespace vigil::helpers {

struct ResourcedClientOptions {
  std::string socket_path;  // RUNTIME_DIR/resourced.sock
  std::string config_hash;  // conf::Config::hash
  std::uint32_t lease_ms = 0;  // within proto::kMinLeaseMs..kMaxLeaseMs
  Duration first_retry = std::chrono::milliseconds(100);
  Duration max_retry = std::chrono::seconds(5);
  std::optional<uid_t> server_uid = 0;  // nullopt: not checked (tests)
};

class ResourcedClient {
 public:
  using ReplyCallback = std::function<void(const proto::resourced::Reply& reply)>;
  using StateCallback = std::function<void(bool connected)>;

  // Does not connect yet: call start(). Callbacks may call request(); they
  // must not destroy the client.
  ResourcedClient(EventLoop& loop, ResourcedClientOptions options, StateCallback on_state = {});
  // Closes the connection; pending callbacks are never called.
  ~ResourcedClient();
  ResourcedClient(const ResourcedClient&) = delete;
  ResourcedClient& operator=(const ResourcedClient&) = delete;

  // First connection attempt, now.
  void start();

  // Sends (or queues until connected) one request; returns its id.
  // `on_reply` is called once with resourced's Reply.
  std::uint32_t request(const proto::ResourcePlace& place, proto::resourced::Op op,
                        ReplyCallback on_reply);

  // Replaces the callback given to the constructor.
  void set_on_state(StateCallback on_state) { on_state_ = std::move(on_state); }

  // Changes the lease: sent now when connected, else in the next Hello.
  void set_lease(std::uint32_t lease_ms);

  bool connected() const { return up_; }
  // Requests waiting for their Reply.
  std::size_t in_flight() const { return pending_.size(); }

 private:
  struct Pending {
    proto::resourced::Request request;
    ReplyCallback on_reply;
  };

  void try_connect();
  void on_frame(const ipc::Frame& frame);
  void drop(const std::string& why);  // close, report, schedule reconnect
  bool send(const proto::resourced::Message& message);
  void schedule_retry();

  EventLoop& loop_;
  ResourcedClientOptions options_;
  StateCallback on_state_;
  std::unique_ptr<ipc::Connection> connection_;
  Timer retry_;
  RetryBackoff backoff_;
  bool started_ = false;
  bool reported_down_ = false;  // "cannot connect" logged once per outage
  bool up_ = false;             // connected was reported
  std::uint32_t next_id_ = 1;
  std::map<std::uint32_t, Pending> pending_;
};

}  // namespace vigil::helpers
