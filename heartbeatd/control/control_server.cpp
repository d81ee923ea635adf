#include "heartbeatd/control/control_server.h"

#include <fmt/format.h>
#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/ipc/socket.h"
#include "common/log.h"

namespace vigil::control {

namespace ctl = proto::control;

namespace {

constexpr int kMaxAcceptsPerWakeup = 16;
constexpr Duration kAcceptRetryDelay = std::chrono::milliseconds(100);

void log_refusal(const ipc::PeerCredentials& peer, std::string_view what) {
  log::warn(fmt::format("control socket: refusing {} from pid {} uid {} gid {}: not permitted",
                        what, peer.pid, peer.uid, peer.gid),
            {{"VIGIL_EVENT", "control-peer-refused"},
             {"VIGIL_PEER_PID", std::to_string(peer.pid)},
             {"VIGIL_PEER_UID", std::to_string(peer.uid)}});
}

}  // namespace

namespace {

Result<UniqueFd> open_socket(const std::string& runtime_dir,
                             std::vector<io::InheritedSocket>& inherited,
                             std::string_view systemd_name, std::string_view file,
                             std::string_view group_name) {
  for (auto& s : inherited) {
    if (s.info.name != systemd_name || !s.fd.valid()) continue;
    int type = 0;
    socklen_t len = sizeof type;
    if (getsockopt(s.fd.get(), SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_SEQPACKET)
      return Error{
          fmt::format("the {} socket systemd passed is not SOCK_SEQPACKET; "
                      "use ListenSequentialPacket= in vigil-heartbeatd.socket",
                      systemd_name)};
    return std::move(s.fd);
  }
  const std::string path = runtime_dir + "/" + std::string(file);
  auto fd = ipc::listen(path, kSocketMode);
  if (!fd) return Error{fmt::format("control socket {}: {}", path, fd.error().message)};
  // Started as root we can hand the socket to its group, so that its
  // members pass the file permission check and reach SO_PEERCRED.
  if (geteuid() == 0) {
    const std::string group(group_name);
    if (const struct group* g = getgrnam(group.c_str())) {
      if (chown(path.c_str(), 0, g->gr_gid) != 0)
        log::warn(fmt::format("control socket {}: cannot give it to group {}: {}", path, group,
                              std::strerror(errno)));
    }
  }
  return fd;
}

}  // namespace

Result<UniqueFd> open_control_socket(const std::string& runtime_dir,
                                     std::vector<io::InheritedSocket>& inherited) {
  return open_socket(runtime_dir, inherited, kSystemdName, kSocketName, kAdminGroup);
}

Result<UniqueFd> open_status_socket(const std::string& runtime_dir,
                                    std::vector<io::InheritedSocket>& inherited) {
  return open_socket(runtime_dir, inherited, kStatusSystemdName, kStatusSocketName, kReaderGroup);
}

ControlServer::ControlServer(EventLoop& loop, UniqueFd listening, ControlPolicy policy,
                             StatusProvider& status, CommandSink& commands, ControlLimits limits,
                             ObservationProvider* observation)
    : loop_(loop),
      fd_(std::move(listening)),
      policy_(policy),
      status_(status),
      commands_(commands),
      limits_(limits),
      observation_(observation),
      open_(loop, std::string(kSocketName), limits.max_clients),
      watcher_(loop, fd_.get(), IoWatcher::Interest::kRead, [this](IoReady) { on_acceptable(); }),
      retry_(loop, [this] { watcher_.start(); }) {
  watcher_.start();
}

ControlServer::~ControlServer() = default;

void ControlServer::on_acceptable() {
  for (int i = 0; i < kMaxAcceptsPerWakeup; ++i) {
    auto fd = ipc::accept(fd_.get());
    if (!fd) {
      log::error(fmt::format("control socket: {}", fd.error().message));
      watcher_.stop();
      retry_.arm_after(kAcceptRetryDelay);
      return;
    }
    if (!fd->valid()) return;
    auto peer = ipc::peer_credentials(fd->get());
    if (!peer) {
      log::error(fmt::format("control socket: {}; closing connection", peer.error().message));
      continue;
    }
    PeerIdentity identity = identify(fd->get(), *peer);
    if (!permits(policy_, identity, Access::kStatus)) {
      ++refused_;
      log_refusal(*peer, "connection");
      continue;  // the UniqueFd closes it
    }
    auto slot = open_.take(*peer);
    if (!slot) {
      ++refused_;
      continue;
    }
    auto connection =
        std::make_unique<ipc::Connection>(loop_, std::move(*fd), *peer, std::string(kSocketName));
    connection->hold(std::move(*slot));
    connection->close_if_silent(limits_.idle, ipc::Connection::Silence::kBetweenFrames);
    clients_.push_back(Client{std::move(connection), std::move(identity), next_client_id_++});
    auto it = std::prev(clients_.end());
    it->connection->start([this, it](ipc::Frame frame) { on_frame(it, std::move(frame)); },
                          [this, it](const Error&) { drop(it); });
  }
}

void ControlServer::drop(Clients::iterator client) { clients_.erase(client); }

void ControlServer::on_frame(Clients::iterator client, ipc::Frame frame) {
  ipc::Connection& connection = *client->connection;
  auto message = ctl::decode(frame);
  if (!message) {
    connection.reject(message.error());
    drop(client);
    return;
  }
  if (client->waiting) {
    connection.reject(Error{"a request sent before the outdate-peer answer"});
    drop(client);
    return;
  }
  // A command from a client the policy admits only for reading: counted,
  // logged and disconnected (the client was dropped when this says true).
  auto refused_command = [&](Clients::iterator c, std::string_view what) {
    if (permits(policy_, c->identity, Access::kCommand)) return false;
    ++refused_;
    log_refusal(connection.peer(), what);
    drop(c);
    return true;
  };
  std::optional<ctl::Message> reply;
  if (std::holds_alternative<ctl::StatusRequest>(*message)) {
    reply = status_.status();
  } else if (const auto* e = std::get_if<ctl::EventsRequest>(&*message)) {
    reply = observation_ ? observation_->events(e->after_seq) : ctl::EventsReply{};
  } else if (std::holds_alternative<ctl::MetricsRequest>(*message)) {
    reply = observation_ ? observation_->metrics() : ctl::MetricsReply{};
  } else if (const auto* s = std::get_if<ctl::Standby>(&*message)) {
    if (refused_command(client, "standby")) return;
    log::info(fmt::format("control socket: standby [{}] requested by pid {} uid {}",
                          ctl::class_word(s->cls), connection.peer().pid, connection.peer().uid));
    reply = commands_.standby(s->cls);
  } else if (const auto* h = std::get_if<ctl::HealthCommand>(&*message)) {
    if (refused_command(client, "cleanup/maintenance")) return;
    log::info(fmt::format("control socket: {} [{}] requested by pid {} uid {}",
                          h->verb == ctl::HealthCommand::Verb::kCleanup         ? "cleanup"
                          : h->verb == ctl::HealthCommand::Verb::kMaintenanceOn ? "maintenance on"
                                                                                : "maintenance off",
                          h->group.empty() ? "all" : h->group, connection.peer().pid,
                          connection.peer().uid));
    reply = commands_.health(*h);
  } else if (const auto* o = std::get_if<ctl::OutdatePeerRequest>(&*message)) {
    if (refused_command(client, "outdate-peer")) return;
    log::info(fmt::format("control socket: DRBD fence-peer for {} requested by pid {} uid {}",
                          o->drbd, connection.peer().pid, connection.peer().uid));
    client->waiting = true;
    const std::uint64_t id = client->id;
    commands_.outdate_peer(
        *o, [this, id](ctl::OutdatePeerReply answer) { outdate_answered(id, std::move(answer)); });
    return;
  } else if (const auto* t = std::get_if<ctl::Takeover>(&*message)) {
    if (refused_command(client, "takeover")) return;
    log::info(fmt::format("control socket: takeover [{}] requested by pid {} uid {}",
                          ctl::class_word(t->cls), connection.peer().pid, connection.peer().uid));
    reply = commands_.takeover(t->cls);
  } else {
    connection.reject(Error{"a reply message sent to heartbeatd"});
    drop(client);
    return;
  }
  this->reply(client, *reply);
}

void ControlServer::outdate_answered(std::uint64_t client_id, ctl::OutdatePeerReply answer) {
  for (auto it = clients_.begin(); it != clients_.end(); ++it) {
    if (it->id != client_id) continue;
    it->waiting = false;
    reply(it, answer);
    return;
  }
  // The handler left (killed, or its own timeout): nobody to tell.
}

void ControlServer::reply(Clients::iterator client, const ctl::Message& message) {
  ipc::Connection& connection = *client->connection;
  auto bytes = ctl::encode(message);
  if (!bytes) {
    log::error(fmt::format("control socket: cannot encode the reply: {}", bytes.error().message));
    drop(client);
    return;
  }
  // encode() made a whole frame; Connection::send wants type + payload.
  auto decoded = ipc::decode_frame(*bytes);
  if (!decoded) {
    drop(client);
    return;
  }
  if (auto s = connection.send(decoded->type, decoded->payload); !s) drop(client);
}

}  // namespace vigil::control
