// ipd's IPC server towards heartbeatd (architecture.md, "Processes and
// trust", boundary 2): the only way anything reaches the virtual IPs.
//
// - Connections, SO_PEERCRED, refusals and the lease are the shared helper
//   server's (common/proto/helper_server.h): every violation closes THAT
//   connection with a log line naming the peer's pid and uid.
// - Each connection runs a ServerPermits state machine (server_permits.h):
//   Hello first (our configuration hash, a lease in bounds), then Lease,
//   AddVip, RemoveVip, ListVips. Any violation — a malformed frame, an
//   unknown type, a wrong hash, a place out of the configuration or not an
//   IP entry, a message not permitted yet, a Result/VipList/Event — is
//   refused.
// - AddVip → VipBackend::acquire (idempotent; announces again) → Result;
//   RemoveVip → release → Result; ListVips → VipList with every IP entry
//   of the configuration, file order, and whether it is configured now
//   (how a restarted heartbeatd learns what this node holds);
//   AnnounceVip → VipBackend::announce (the agent's whole schedule, or
//   vigil.cf's garp_refresh_repeat rounds for kRefresh; never adds) →
//   Result.
// - Watch events (on_watch_event) go to every connection that said Hello,
//   as Event messages: kVipLost for each configured IP entry with that
//   address, kLinkDown/kLinkUp for an interface that carries an IP entry
//   or a heartbeat medium.
// - At start, every configured IP entry already present (left by a
//   previous ipd) is watched again; nothing is added or removed.
// - The lease (common/proto/lease_keeper.h): runs from start with
//   `default_lease` (half the deadtime), held by any connection that said
//   Hello; when it runs out ipd removes every configured IP entry that is
//   present, in release_order (ip_entries.h).
// - Destroying the server closes every connection; no address is touched
//   (ipd exiting never removes a VIP).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "common/event_loop.h"
#include "common/ipc/frame.h"
#include "common/ipc/peer_policy.h"
#include "common/ipc/server.h"
#include "common/proto/helper_server.h"
#include "common/proto/ipd_messages.h"
#include "common/unique_fd.h"
#include "conf/config.h"
#include "ipd/server_permits.h"
#include "ipd/vip_backend.h"
#include "ipd/vip_watch.h"

namespace vigil::ipd {

struct ServerOptions {
  std::string label = "ipd.sock";  // names the socket in log lines
  ipc::PeerPolicy policy;
  std::chrono::milliseconds default_lease{15000};
  ipc::ServerLimits limits;  // connections at once, first-frame deadline
};

// Half the deadtime of ha.cf (lease.h), at least proto::kMinLeaseMs.
std::chrono::milliseconds default_lease_for(const conf::Config& config);

class VipServer {
 public:
  // Called when the status text (for sd_notify STATUS=) changes.
  using StatusCallback = std::function<void(const std::string& status)>;

  // Serves on `listening` at once; the lease clock starts now. `config`
  // and `backend` must outlive the server.
  VipServer(EventLoop& loop, const conf::Config& config, VipBackend& backend, ServerOptions options,
            UniqueFd listening, StatusCallback on_status = {});
  ~VipServer();
  VipServer(const VipServer&) = delete;
  VipServer& operator=(const VipServer&) = delete;

  // A change VipController noticed (vip_watch.h); forwarded as described
  // above.
  void on_watch_event(const WatchEvent& event);

  std::size_t connections() const { return helper_.connections(); }
  bool lease_held() const { return helper_.lease().held(); }
  std::string status_text() const;

 private:
  void adopt_present();
  void on_frame(std::uint64_t id, ServerPermits& permits, const ipc::Frame& frame);
  void add(std::uint64_t id, const Permit& permit);
  void remove(std::uint64_t id, const Permit& permit);
  void list(std::uint64_t id, std::uint32_t request_id);
  void announce(std::uint64_t id, const Permit& permit);
  void reply(std::uint64_t id, const proto::ipd::Message& message);
  void broadcast(const proto::ipd::Event& event);
  bool interface_matters(const std::string& interface);
  void on_lease_expired();
  void report_status();

  const conf::Config& config_;
  VipBackend& backend_;
  StatusCallback on_status_;
  proto::HelperServer<ServerPermits> helper_;
};

}  // namespace vigil::ipd
