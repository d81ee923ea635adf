// heartbeatd's side of the resourced boundary (resourced/server.h): one
// connection to RUNTIME_DIR/resourced.sock on the event loop.
//
//   ResourcedClient client(loop, {socket, config.hash, lease_ms}, on_state);
//   client.start();
//   client.request({group, position}, Op::kStart, [](const Reply& r) {...});
//
// - Connecting, Hello, the lease, reconnecting with backoff and the check
//   that root serves the socket: helper_client.h.
// - A request cut off by a resourced restart is sent again on the next
//   connection; that is safe because start of a running resource and stop
//   of a stopped one succeed (resourced_messages.h). Requests made while
//   disconnected wait for the next connection; their callbacks are called
//   when the Reply arrives, never with a made-up answer.
// - Respawn entries (ha.cf respawn lines vigil runs, conf/respawn_role.h):
//   after keep_respawned(), every connection asks resourced to start each
//   of them (a Task; start of a running one does nothing), so a restarted
//   resourced runs them again. stop_respawned() asks it to stop them, in
//   reverse order, and no later connection starts them (graceful shutdown,
//   heartbeat-compat.md §6.7). The replies are only logged.
// - Cluster events (event(): rc.d scripts and the notify hook, resourced/
//   event_hooks.h) are sent in the order they happened. Those not yet
//   acknowledged when the connection drops are sent again, still in order,
//   on the next one (ids only grow and pending_ is ordered by id), so a
//   resourced restart loses none. At most kMaxPendingEvents wait while
//   resourced is away; past that the oldest is dropped with an error line.
// - The watchdog (ha.cf `watchdog`, resourced/watchdog_device.h): after
//   keep_watchdog(), every connection asks resourced to arm it and a timer
//   on this loop sends a keep-alive every `interval` while connected, so
//   the device is written only while this loop runs. Keep-alives cut off
//   by a reconnect are not sent again (the next one follows). stop_watchdog()
//   disarms it (graceful shutdown, §6.7).
// - Anything but a well-formed Reply to a pending request, naming that
//   request's action, closes the connection (then reconnect), as the
//   server does to us.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "common/event_loop.h"
#include "common/proto/resourced_messages.h"
#include "common/timer.h"
#include "heartbeatd/helpers/helper_client.h"

namespace vigil::helpers {

using ResourcedClientOptions = HelperClientOptions;  // socket_path: RUNTIME_DIR/resourced.sock

class ResourcedClient : public HelperClient {
 public:
  using ReplyCallback = std::function<void(const proto::resourced::Reply& reply)>;

  // Does not connect yet: call start(). Callbacks may call request(); they
  // must not destroy the client.
  ResourcedClient(EventLoop& loop, ResourcedClientOptions options, StateCallback on_state = {});
  // Closes the connection; pending callbacks are never called.
  ~ResourcedClient() override;

  // Sends (or queues until connected) one request; returns its id.
  // `on_reply` is called once with resourced's Reply.
  std::uint32_t request(const proto::ResourcePlace& place, proto::resourced::Op op,
                        ReplyCallback on_reply);

  // Asks resourced to reset ha.cf node #node_index (Task kFence).
  // `on_reply` is called once, when the reset is done or every device
  // failed. Cut off by a resourced restart, it is asked again.
  std::uint32_t fence(std::uint16_t node_index, ReplyCallback on_reply);
  // Asks resourced to run `drbdadm outdate` for haresources resource
  // #index (Task kOutdatePeer). Outdating twice is harmless, so a task cut
  // off by a resourced restart is asked again like a fence.
  std::uint32_t outdate(std::uint16_t index, ReplyCallback on_reply);
  // One health check of haresources resource `index` (a Task of kind
  // kMonitor): re-sent after a reconnection like a request (a status is
  // safe to ask twice); `on_reply` is called once.
  std::uint32_t monitor(std::uint16_t index, ReplyCallback on_reply);

  // Starts these respawn entries on this and every later connection.
  void keep_respawned(std::vector<std::uint16_t> indices);
  // Stops them now (or at the next connection) and starts them no more.
  void stop_respawned();

  // Arms the watchdog on this and every later connection and keeps it
  // alive every `interval`; stop_watchdog() disarms it for good.
  void keep_watchdog(Duration interval);
  void stop_watchdog();

  // Reports one cluster event (sent now, or queued until connected).
  void event(proto::ClusterEvent event, std::vector<proto::EventField> fields);

  std::size_t in_flight() const override { return pending_.size(); }

  static constexpr std::size_t kMaxPendingEvents = 4096;

 private:
  struct Pending {
    proto::resourced::Message message;  // a Request or a Task
    proto::resourced::Op op;
    ReplyCallback on_reply;
    bool respawn_start = false;  // re-issued by every connection instead
    bool event = false;          // a cluster event (bounded, see above)
    bool watchdog = false;       // arm or keep-alive: re-issued, never re-sent
  };

  std::uint32_t task(std::uint16_t index, proto::resourced::Op op, bool respawn_start);
  std::uint32_t answered_task(proto::resourced::TaskKind kind, std::uint16_t index,
                              proto::resourced::Op op, ReplyCallback on_reply);
  void watchdog_task(proto::resourced::Op op, bool transient);
  void on_watchdog_timer();

  vigil::Result<ipc::Bytes> encode(const proto::Hello& hello) const override;
  vigil::Result<ipc::Bytes> encode(const proto::Lease& lease) const override;
  bool resend_waiting() override;
  void on_frame(const ipc::Frame& frame) override;

  std::map<std::uint32_t, Pending> pending_;
  std::vector<std::uint16_t> respawned_;
  std::optional<Duration> watchdog_interval_;  // set: keep the watchdog
  Timer watchdog_timer_;
};

}  // namespace vigil::helpers
