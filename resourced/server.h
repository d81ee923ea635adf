// resourced's IPC server towards heartbeatd (architecture.md, "Processes
// and trust", boundary 2): the only way anything reaches the agents.
//
// - Connections, SO_PEERCRED, refusals and the lease are the shared helper
//   server's (common/proto/helper_server.h): every violation closes THAT
//   connection with a log line naming the peer's pid and uid.
// - Each connection runs a ServerPermits state machine: Hello first (our
//   configuration hash, a lease in bounds), then Lease and Request. Any
//   violation — a malformed frame, an unknown type, a wrong hash, a place
//   out of the configuration or an IP entry, a message not permitted yet,
//   a Reply — is refused.
// - A Request runs one action through AgentRunner (timeouts:
//   action_timeouts.h) and is answered with one Reply. Several requests
//   may be in flight; actions on the same resource are queued
//   (action_queue.h). A Reply for a connection that has gone is dropped:
//   heartbeatd re-sends the request when it reconnects, which is safe as
//   start of a running resource and stop of a stopped one succeed.
// - The lease (common/proto/lease_keeper.h): runs from start with
//   `default_lease` (half the deadtime), held by any connection that said
//   Hello — in production that is heartbeatd; root is the administrator
//   or a test. When it runs out resourced stops every configured non-IP
//   resource (release_order.h), one at a time, each through the queue and
//   the runner. A release once begun runs to its end even if heartbeatd
//   comes back meanwhile: it then finds the resources stopped (status) and
//   starts what it owns.
// - A Task (resourced_messages.h) names a respawn entry of ha.cf: it is
//   started, stopped or checked by the RespawnSupervisor and answered at
//   once. Lease expiry stops every respawn client, as it stops resources.
//   A Task of kind kMonitor is one health check, queued as a status
//   action; for a systemd unit it asks systemd over the system bus.
//   A Task of kind kEvent goes to `on_event` (event_hooks.h), which queues
//   what it triggers and returns at once; the reply says it was queued.
// - Destroying the server closes every connection and drops pending
//   completions; agents keep running (a resource is never stopped because
//   resourced exits — stopping is heartbeatd's decision). Respawn clients
//   are stopped (respawn_supervisor.h): they are resourced's own children.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "common/ipc/frame.h"
#include "common/ipc/peer_policy.h"
#include "common/ipc/server.h"
#include "common/proto/helper_server.h"
#include "common/proto/resourced_messages.h"
#include "common/unique_fd.h"
#include "conf/config.h"
#include "resourced/action_queue.h"
#include "resourced/agent.h"
#include "resourced/agent_runner.h"
#include "resourced/drbd_outdater.h"
#include "resourced/node_fencer.h"
#include "resourced/respawn_supervisor.h"
#include "resourced/server_permits.h"
#include "resourced/systemd_health_check.h"
#include "resourced/watchdog_device.h"

namespace vigil::resourced {

struct ServerOptions {
  std::string label = "resourced.sock";  // names the socket in log lines
  ipc::PeerPolicy policy;
  AgentDirs dirs;
  RunnerOptions runner;
  std::chrono::milliseconds default_lease{15000};
  ipc::ServerLimits limits;  // connections at once, first-frame deadline
  // Cluster events (Task kind kEvent): event_hooks.h. Not set: an event is
  // acknowledged and nothing runs.
  std::function<Status(proto::ClusterEvent, const std::vector<proto::EventField>&)> on_event;
  // Task kind kFence: cluster-glue's stonith command (node_fencer.h).
  std::string stonith = kStonithCommand;
  // ... and the directory of vigil.cf's fence agents (fence_agent_command.h).
  std::string fence_agent_dir = kFenceAgentDir;
  // Task kind kOutdatePeer: drbd-utils' drbdadm (drbd_outdater.h).
  std::string drbdadm = kDrbdadmCommand;
};

// Half the deadtime of ha.cf (lease.h), at least proto::kMinLeaseMs.
std::chrono::milliseconds default_lease_for(const conf::Config& config);

class ResourceServer {
 public:
  // Called when the status text (for sd_notify STATUS=) changes.
  using StatusCallback = std::function<void(const std::string& status)>;

  // Serves on `listening` at once; the lease clock starts now. `config`
  // must outlive the server.
  ResourceServer(EventLoop& loop, const conf::Config& config, ServerOptions options,
                 UniqueFd listening, StatusCallback on_status = {});
  ~ResourceServer();
  ResourceServer(const ResourceServer&) = delete;
  ResourceServer& operator=(const ResourceServer&) = delete;

  std::size_t connections() const { return helper_.connections(); }
  bool lease_held() const { return helper_.lease().held(); }
  // Actions running or queued (requests and lease-expiry stops).
  std::size_t actions_pending() const { return queue_.size(); }
  bool respawn_running(std::uint16_t index) const { return respawn_.running(index); }
  std::string status_text() const;

 private:
  void on_frame(std::uint64_t id, ServerPermits& permits, const ipc::Frame& frame);
  void run_request(std::uint64_t id, const proto::resourced::Request& request);
  void run_task(std::uint64_t id, const proto::resourced::Task& task);
  void run_event(std::uint64_t id, const proto::resourced::Task& task);
  void run_fence(std::uint64_t id, const proto::resourced::Task& task);
  void run_watchdog(std::uint64_t id, const proto::resourced::Task& task);
  void run_outdate(std::uint64_t id, const proto::resourced::Task& task);
  std::string task_violation(const proto::resourced::Task& task) const;
  void run_monitor(std::uint64_t id, const proto::resourced::Task& task);
  // `health_check`: a kMonitor check, which asks systemd over the bus for a
  // systemd unit (systemd_health_check.h) instead of running systemctl.
  void launch(const proto::ResourcePlace& place, Action action, Duration timeout,
              ActionQueue::Completion done, bool health_check = false);
  void on_lease_expired();
  void release_next();
  void report_status();

  const conf::Config& config_;
  ServerOptions options_;
  StatusCallback on_status_;
  AgentRunner runner_;
  SystemdHealthCheck unit_checks_;
  RespawnSupervisor respawn_;
  NodeFencer fencer_;
  DrbdOutdater outdater_;
  std::optional<WatchdogDevice> watchdog_;  // ha.cf has a watchdog line
  ActionQueue queue_;
  std::vector<proto::ResourcePlace> releasing_;  // stops still to submit, in order
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  proto::HelperServer<ServerPermits> helper_;
};

}  // namespace vigil::resourced
