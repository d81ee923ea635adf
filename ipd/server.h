// ipd's IPC server towards heartbeatd (architecture.md, "Processes and
// trust", boundary 2): the only way anything reaches the virtual IPs.
//
// - Every connection is checked with SO_PEERCRED against the PeerPolicy
//   (root and heartbeatd's user) before a byte is read; others are closed
//   and logged with pid and uid (ipc::Server).
// - Each connection runs a ServerPermits state machine (server_permits.h):
//   Hello first (our configuration hash, a lease in bounds), then Lease,
//   AddVip, RemoveVip, ListVips. Any violation — a malformed frame, an
//   unknown type, a wrong hash, a place out of the configuration or not an
//   IP entry, a message not permitted yet, a Result/VipList/Event — closes
//   THAT connection with a log line naming the peer's pid and uid and the
//   violation; the others keep being served.
// - AddVip → VipBackend::acquire (idempotent; announces again) → Result;
//   RemoveVip → release → Result; ListVips → VipList with every IP entry
//   of the configuration, file order, and whether it is configured now
//   (how a restarted heartbeatd learns what this node holds).
// - Watch events (on_watch_event) go to every connection that said Hello,
//   as Event messages: kVipLost for each configured IP entry with that
//   address, kLinkDown/kLinkUp for an interface that carries an IP entry
//   or a heartbeat medium.
// - At start, every configured IP entry already present (left by a
//   previous ipd) is watched again; nothing is added or removed.
// - The lease (proto::LeaseClock): runs from start with `default_lease`
//   (half the deadtime). Any connection that said Hello holds it, and the
//   clock is stopped while at least one such connection is open. When the
//   last one drops the clock starts with the last lease asked for; when it
//   runs out ipd logs why and removes every configured IP entry that is
//   present, in release_order (ip_entries.h).
// - Destroying the server closes every connection; no address is touched
//   (ipd exiting never removes a VIP).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "common/event_loop.h"
#include "common/ipc/connection.h"
#include "common/ipc/peer_policy.h"
#include "common/ipc/server.h"
#include "common/proto/ipd_messages.h"
#include "common/proto/lease.h"
#include "common/timer.h"
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

  std::size_t connections() const { return peers_.size(); }
  bool lease_held() const { return holders_ > 0; }
  std::string status_text() const;

 private:
  struct Peer {
    std::unique_ptr<ipc::Connection> connection;
    ServerPermits permits;
    bool holds_lease = false;
  };

  void adopt_present();
  void on_accept(std::unique_ptr<ipc::Connection> connection);
  void on_frame(std::uint64_t id, const ipc::Frame& frame);
  void violation(std::uint64_t id, const std::string& why);
  void forget(std::uint64_t id);  // lease bookkeeping + erase
  void add(std::uint64_t id, const Permit& permit);
  void remove(std::uint64_t id, const Permit& permit);
  void list(std::uint64_t id, std::uint32_t request_id);
  void reply(std::uint64_t id, const proto::ipd::Message& message);
  void broadcast(const proto::ipd::Event& event);
  bool interface_matters(const std::string& interface);
  void arm_lease_timer();
  void on_lease_timer();
  void report_status();

  EventLoop& loop_;
  const conf::Config& config_;
  VipBackend& backend_;
  ServerOptions options_;
  StatusCallback on_status_;
  proto::LeaseClock lease_;
  Timer lease_timer_;
  bool ever_greeted_ = false;
  int holders_ = 0;
  std::uint64_t next_peer_ = 1;
  std::map<std::uint64_t, std::unique_ptr<Peer>> peers_;
  std::unique_ptr<ipc::Server> server_;
};

}  // namespace vigil::ipd
