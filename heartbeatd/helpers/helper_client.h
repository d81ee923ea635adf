// What heartbeatd's two helper clients (ipd_client.h, resourced_client.h)
// share: one connection to a root helper's socket on the event loop, the
// Hello that opens it, the lease, and getting it back after it drops. The
// requests, their answers and what may be re-sent are each client's own.
//
// - On every (re)connection it sends Hello (our configuration hash, the
//   lease) and then resend_waiting(): every request still waiting for its
//   answer, in id order.
// - When the connection drops (the helper restarting, or it closed us for
//   a violation) it reconnects with exponential backoff from `first_retry`
//   up to `max_retry`, and never waits more than a quarter of the lease
//   between attempts (retry_backoff.h: a restarted helper releases
//   everything unless we are back within a lease of its start), and
//   reports connected/disconnected through the state callback. "Cannot
//   connect" is logged once per outage.
// - No keep-alive: the helper's lease clock runs only while this
//   connection is closed (common/proto/lease.h), and the kernel tells both
//   sides at once when either process dies.
// - The server must be `server_uid` (root), checked with SO_PEERCRED: a
//   socket someone else managed to put at that path is not the helper.
//   Anything a client does not accept from the server is drop()ped
//   (close, then reconnect), as the server does to us.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/event_loop.h"
#include "common/ipc/connection.h"
#include "common/ipc/frame.h"
#include "common/proto/helper_common.h"
#include "common/result.h"
#include "common/timer.h"
#include "heartbeatd/helpers/retry_backoff.h"

namespace vigil::helpers {

struct HelperClientOptions {
  std::string socket_path;     // RUNTIME_DIR/ipd.sock, RUNTIME_DIR/resourced.sock
  std::string config_hash;     // conf::Config::hash
  std::uint32_t lease_ms = 0;  // within proto::kMinLeaseMs..kMaxLeaseMs
  Duration first_retry = std::chrono::milliseconds(100);
  Duration max_retry = std::chrono::seconds(5);
  std::optional<uid_t> server_uid = 0;  // nullopt: not checked (tests)
};

class HelperClient {
 public:
  using StateCallback = std::function<void(bool connected)>;

  HelperClient(const HelperClient&) = delete;
  HelperClient& operator=(const HelperClient&) = delete;

  // First connection attempt, now.
  void start();

  // Replaces the state callback given to the constructor.
  void set_on_state(StateCallback on_state) { on_state_ = std::move(on_state); }

  // Changes the lease: sent now when connected, else in the next Hello.
  void set_lease(std::uint32_t lease_ms);

  bool connected() const { return up_; }
  // For the metrics: whether start() was called, the lease we ask for, and
  // when the connection was last lost (nullopt: never connected, or
  // connected now).
  bool started() const { return started_; }
  std::uint32_t lease_ms() const { return options_.lease_ms; }
  std::optional<MonoTime> down_since() const { return down_since_; }
  // Requests waiting for their answer.
  virtual std::size_t in_flight() const = 0;

 protected:
  // `helper` names the helper in log lines ("ipd"). Does not connect yet.
  HelperClient(EventLoop& loop, std::string helper, HelperClientOptions options,
               StateCallback on_state);
  // Closes the connection; no callback is called.
  virtual ~HelperClient();

  // Hello and Lease in the client's vocabulary (the same shape in both,
  // helper_common.h).
  virtual vigil::Result<ipc::Bytes> encode(const proto::Hello& hello) const = 0;
  virtual vigil::Result<ipc::Bytes> encode(const proto::Lease& lease) const = 0;
  // Sends every request waiting for its answer, in id order, through
  // send(); false as soon as one send dropped the connection.
  virtual bool resend_waiting() = 0;
  // A frame from the helper.
  virtual void on_frame(const ipc::Frame& frame) = 0;

  // Sends one encoded message; false if not connected or the send dropped
  // the connection. A message that does not encode is a local bug, logged,
  // and not the connection's fault (true). Requests made while
  // disconnected go out in the next resend_waiting().
  bool send(const vigil::Result<ipc::Bytes>& message);
  // Closes the connection for `why` and schedules a reconnection. May be
  // called from on_frame().
  void drop(const std::string& why);
  // The next request id: never 0.
  std::uint32_t next_id();
  const HelperClientOptions& options() const { return options_; }

 private:
  void try_connect();
  void schedule_retry();

  EventLoop& loop_;
  std::string helper_;
  HelperClientOptions options_;
  StateCallback on_state_;
  std::unique_ptr<ipc::Connection> connection_;
  Timer retry_;
  RetryBackoff backoff_;
  bool started_ = false;
  bool reported_down_ = false;  // "cannot connect" logged once per outage
  bool up_ = false;             // connected was reported
  std::optional<MonoTime> down_since_;
  std::uint32_t next_id_ = 1;
};

}  // namespace vigil::helpers
