// heartbeatd's control socket on the event loop: vigilctl, cl_status,
// hb_standby and hb_takeover talk to it (common/proto/control_messages.h).
//
// Every connection is identified with SO_PEERCRED plus /proc groups
// (permission.h) as it is accepted; a peer that may not even read the
// status is closed at once. Each request is checked again for its own
// access level; a request the peer may not make, or any malformed frame,
// closes the connection and is logged with the peer's pid and uid.
#pragma once

#include <sys/types.h>

#include <list>
#include <memory>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "common/io_watcher.h"
#include "common/ipc/connection.h"
#include "common/ipc/connection_limit.h"
#include "common/result.h"
#include "common/timer.h"
#include "common/unique_fd.h"
#include "heartbeatd/control/permission.h"
#include "heartbeatd/control/providers.h"
#include "heartbeatd/io/inherited_sockets.h"

namespace vigil::control {

inline constexpr std::string_view kSocketName = "control.sock";
inline constexpr std::string_view kSystemdName = "control";  // FileDescriptorName=
inline constexpr mode_t kSocketMode = 0660;

// The listening socket: the one systemd passed as `control` (taken out of
// `inherited`; it must be SOCK_SEQPACKET), else RUNTIME_DIR/control.sock,
// created 0660 and, when we are root, given to group haclient. Call before
// dropping privileges: the runtime directory may be root's.
Result<UniqueFd> open_control_socket(const std::string& runtime_dir,
                                     std::vector<io::InheritedSocket>& inherited);

// The read-only socket (permission.h): RUNTIME_DIR/status.sock, or the one
// systemd passed as `status`, group haclient-ro. The same server answers on
// it with a read-only policy: status, events and metrics, never a command.
inline constexpr std::string_view kStatusSocketName = "status.sock";
inline constexpr std::string_view kStatusSystemdName = "status";
Result<UniqueFd> open_status_socket(const std::string& runtime_dir,
                                    std::vector<io::InheritedSocket>& inherited);

struct ControlLimits {
  // At most this many clients at once; more are closed on accept and
  // logged (ipc/connection_limit.h).
  std::size_t max_clients = 16;
  // A client silent this long between requests (or after connecting) is
  // closed and logged, so idle connections cannot hold every slot
  // (vigilctl's own timeout is 5 s).
  Duration idle = std::chrono::seconds(30);
};

class ControlServer {
 public:
  // `observation` answers EventsRequest and MetricsRequest; null: empty
  // replies.
  ControlServer(EventLoop& loop, UniqueFd listening, ControlPolicy policy, StatusProvider& status,
                CommandSink& commands, ControlLimits limits = {},
                ObservationProvider* observation = nullptr);
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  std::size_t refused_count() const { return refused_; }
  std::size_t client_count() const { return clients_.size(); }

 private:
  struct Client {
    std::unique_ptr<ipc::Connection> connection;
    PeerIdentity identity;
    std::uint64_t id = 0;
    // An OutdatePeerRequest is answered later (providers.h); until then
    // the client may send nothing else, so replies stay in order.
    bool waiting = false;
  };
  using Clients = std::list<Client>;

  void on_acceptable();
  void on_frame(Clients::iterator client, ipc::Frame frame);
  void drop(Clients::iterator client);
  void reply(Clients::iterator client, const proto::control::Message& message);
  void outdate_answered(std::uint64_t client_id, proto::control::OutdatePeerReply answer);

  EventLoop& loop_;
  UniqueFd fd_;
  ControlPolicy policy_;
  StatusProvider& status_;
  CommandSink& commands_;
  ControlLimits limits_;
  ObservationProvider* observation_;
  ipc::ConnectionLimit open_;
  IoWatcher watcher_;
  Timer retry_;
  Clients clients_;
  std::uint64_t next_client_id_ = 1;
  std::size_t refused_ = 0;
};

}  // namespace vigil::control
