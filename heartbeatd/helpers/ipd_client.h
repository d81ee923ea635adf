// heartbeatd's side of the ipd boundary (ipd/server.h): one connection to
// RUNTIME_DIR/ipd.sock on the event loop.
//
//   IpdClient ipd(loop, {socket, config.hash, lease_ms}, on_event, on_state);
//   ipd.start();
//   ipd.add({group, position}, [](const proto::ipd::Result& r) {...});
//   ipd.list([](const proto::ipd::VipList& l) {...});  // what we hold
//
// - On every (re)connection it sends Hello (our configuration hash, the
//   lease) and then every request still waiting for its answer, in id
//   order. A request cut off by an ipd restart is thus sent again; that is
//   safe because AddVip and RemoveVip are idempotent and ListVips only
//   reads.
// - When the connection drops (ipd restarting, or it closed us for a
//   violation) it reconnects with exponential backoff from `first_retry`
//   up to `max_retry`, and never waits more than a quarter of the lease
//   between attempts (retry_backoff.h: a restarted helper releases
//   everything unless we are back within a lease of its start), and reports connected/disconnected through the
//   state callback. Requests made while disconnected wait for the next
//   connection; their callbacks are called when the answer arrives, never
//   with a made-up one.
// - Events (a VIP removed by someone else, a link down or up) go to the
//   event callback as they arrive.
// - No keep-alive: ipd's lease clock runs only while this connection is
//   closed (lease.h), and the kernel tells both sides at once when either
//   process dies.
// - The server must be `server_uid` (root), checked with SO_PEERCRED: a
//   socket someone else managed to put at that path is not ipd. Anything
//   but a well-formed Result or VipList answering a pending request of the
//   matching kind, or an Event, closes the connection (then reconnect), as
//   the server does to us.
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
#include <variant>

#include "common/clock.h"
#include "common/event_loop.h"
#include "common/ipc/connection.h"
#include "common/proto/ipd_messages.h"
#include "common/timer.h"
#include "heartbeatd/helpers/retry_backoff.h"

namespace vigil::helpers {

struct IpdClientOptions {
  std::string socket_path;     // RUNTIME_DIR/ipd.sock
  std::string config_hash;     // conf::Config::hash
  std::uint32_t lease_ms = 0;  // within proto::kMinLeaseMs..kMaxLeaseMs
  Duration first_retry = std::chrono::milliseconds(100);
  Duration max_retry = std::chrono::seconds(5);
  std::optional<uid_t> server_uid = 0;  // nullopt: not checked (tests)
};

class IpdClient {
 public:
  using ResultCallback = std::function<void(const proto::ipd::Result& result)>;
  using ListCallback = std::function<void(const proto::ipd::VipList& list)>;
  using EventCallback = std::function<void(const proto::ipd::Event& event)>;
  using StateCallback = std::function<void(bool connected)>;

  // Does not connect yet: call start(). Callbacks may make requests; they
  // must not destroy the client.
  IpdClient(EventLoop& loop, IpdClientOptions options, EventCallback on_event = {},
            StateCallback on_state = {});
  // Closes the connection; pending callbacks are never called.
  ~IpdClient();
  IpdClient(const IpdClient&) = delete;
  IpdClient& operator=(const IpdClient&) = delete;

  // First connection attempt, now.
  void start();

  // Each sends (or queues until connected) one request and returns its id;
  // the callback is called once with ipd's answer.
  std::uint32_t add(const proto::ResourcePlace& place, ResultCallback on_result);
  std::uint32_t remove(const proto::ResourcePlace& place, ResultCallback on_result);
  std::uint32_t list(ListCallback on_list);

  // Replace the callbacks given to the constructor.
  void set_on_event(EventCallback on_event) { on_event_ = std::move(on_event); }
  void set_on_state(StateCallback on_state) { on_state_ = std::move(on_state); }

  // Changes the lease: sent now when connected, else in the next Hello.
  void set_lease(std::uint32_t lease_ms);

  bool connected() const { return up_; }
  // Requests waiting for their answer.
  std::size_t in_flight() const { return pending_.size(); }

 private:
  using Request = std::variant<proto::ipd::AddVip, proto::ipd::RemoveVip, proto::ipd::ListVips>;
  struct Pending {
    Request request;
    ResultCallback on_result;  // AddVip, RemoveVip
    ListCallback on_list;      // ListVips
  };

  std::uint32_t submit(Pending pending);
  std::uint32_t next_id();
  void try_connect();
  void on_frame(const ipc::Frame& frame);
  void on_result(const proto::ipd::Result& result);
  void on_list(const proto::ipd::VipList& list);
  void drop(const std::string& why);  // close, report, schedule reconnect
  bool send(const proto::ipd::Message& message);
  void schedule_retry();

  EventLoop& loop_;
  IpdClientOptions options_;
  EventCallback on_event_;
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
