#include "heartbeatd/io/open_media.h"

#include <fcntl.h>
#include <net/if.h>

#include <cerrno>
#include <cstring>
#include <set>

#include <fmt/format.h>

#include "common/log.h"
#include "heartbeatd/io/interface_info.h"
#include "heartbeatd/io/media_plans.h"
#include "heartbeatd/io/resolve.h"
#include "heartbeatd/io/udp_medium.h"

namespace vigil::io {
namespace {

using conf::MediumKind;

std::string_view kind_word(MediumKind k) {
  switch (k) {
    case MediumKind::kBcast: return "bcast";
    case MediumKind::kUcast: return "ucast";
    case MediumKind::kMcast: return "mcast";
    case MediumKind::kUcast6: return "ucast6";
    case MediumKind::kMcast6: return "mcast6";
    case MediumKind::kSerial: return "serial";
    case MediumKind::kPing: return "ping";
    case MediumKind::kPing6: return "ping6";
    case MediumKind::kPingGroup: return "ping_group";
  }
  return "medium";
}

Result<MediumPlan> plan_medium(const conf::Medium& m, std::uint16_t udpport) {
  auto iface = query_interface(m.interface);
  if (!iface) return iface.error();
  const std::uint16_t port = medium_port(m, udpport);
  switch (m.kind) {
    case MediumKind::kBcast:
      return plan_bcast(m, udpport, *iface);
    case MediumKind::kUcast: {
      auto peer = resolve_ipv4(m.address, port);
      if (!peer) return peer.error();
      return plan_ucast(m, udpport, *iface, *peer);
    }
    case MediumKind::kMcast:
      return plan_mcast(m, *iface);
    case MediumKind::kUcast6: {
      auto peer = resolve_ipv6(m.address, port, static_cast<std::uint32_t>(iface->index));
      if (!peer) return peer.error();
      return plan_ucast6(m, udpport, *iface, *peer);
    }
    case MediumKind::kMcast6:
      return plan_mcast6(m, *iface);
    default:
      return Error{"not a UDP medium"};
  }
}

Error medium_error(const conf::Medium& m, const Error& e) {
  return Error{fmt::format("ha.cf line {}: {} {}: {}", m.line, kind_word(m.kind), m.interface,
                           e.message)};
}

Result<UniqueFd> receive_socket(const MediumPlan& plan, const InheritedMatch& match,
                                const std::vector<InheritedSocket>& inherited) {
  if (!match.socket) {
    auto fd = open_socket(plan.receive);
    if (!fd && errno == EACCES && plan.receive.bind_to && plan.receive.bind_to->port() < 1024)
      return Error{fd.error().message +
                   " (a port below 1024 needs root, CAP_NET_BIND_SERVICE or a systemd socket unit)"};
    return fd;
  }
  UniqueFd fd(fcntl(inherited[*match.socket].fd.get(), F_DUPFD_CLOEXEC, 0));
  if (!fd) return Error{fmt::format("dup of inherited socket: {}", std::strerror(errno))};
  if (auto s = finish_inherited_socket(fd.get(), plan.receive, match.set_device); !s)
    return s.error();
  return fd;
}

}  // namespace

Result<std::vector<std::unique_ptr<Medium>>> open_media(const conf::HaCf& cf,
                                                        std::vector<InheritedSocket>& inherited) {
  std::vector<const conf::Medium*> lines;
  std::vector<MediumPlan> plans;
  for (const auto& m : cf.media) {
    // serial and ping lines: the configuration's warnings said so (conf/unacted_directives.cpp).
    if (!is_udp_medium(m.kind)) continue;
    auto plan = plan_medium(m, cf.udpport);
    if (!plan) return medium_error(m, plan.error());
    lines.push_back(&m);
    plans.push_back(std::move(*plan));
  }

  std::vector<InheritedSocketInfo> have;
  for (const auto& s : inherited) have.push_back(s.info);
  std::vector<ReceiveWant> want;
  for (const auto& p : plans) want.push_back({p.link_name, p.receive});
  const MatchResult match = match_inherited(have, want);

  // The links of the media that share a receive socket, by interface
  // index, so each datagram goes to the link it arrived on.
  auto arrival = std::make_shared<UdpMedium::ArrivalLinks>();
  for (std::size_t i = 0; i < plans.size(); ++i) {
    if (!match.for_want[i].shared) continue;
    const unsigned index = if_nametoindex(plans[i].receive.device.c_str());
    if (index == 0)
      return medium_error(*lines[i], Error{fmt::format("no interface {}", plans[i].receive.device)});
    arrival->emplace(static_cast<int>(index), plans[i].link_name);
  }

  std::vector<std::unique_ptr<Medium>> media;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    auto send_fd = open_socket(plans[i].send);
    if (!send_fd) return medium_error(*lines[i], send_fd.error());
    auto recv_fd = receive_socket(plans[i], match.for_want[i], inherited);
    if (!recv_fd) return medium_error(*lines[i], recv_fd.error());
    log::info(plans[i].started_text,
              {{"VIGIL_LINK", plans[i].link_name}, {"VIGIL_EVENT", "medium-started"}});
    if (match.for_want[i].socket)
      log::debug(fmt::format("{}: receiving on the socket systemd passed as [{}]{}",
                             plans[i].link_name, have[*match.for_want[i].socket].name,
                             match.for_want[i].shared ? ", shared by interface" : ""));
    media.push_back(std::make_unique<UdpMedium>(
        std::move(plans[i]), std::move(*send_fd), std::move(*recv_fd),
        match.for_want[i].shared ? arrival : nullptr));
  }

  std::set<std::size_t> used;
  for (const auto& m : match.for_want)
    if (m.socket) used.insert(*m.socket);
  for (std::size_t i : used) inherited[i].fd.reset();
  for (std::size_t i : match.unused) {
    // The packaged unit passes an IPv4 and an IPv6 socket; a cluster with
    // media of one family leaves the other one unused, which is expected.
    const log::Priority p =
        have[i].name == kSharedSocketName ? log::Priority::kDebug : log::Priority::kWarn;
    log::write(p, fmt::format("inherited socket [{}] ({}{}{}) serves no medium of ha.cf; closing it",
                          have[i].name, have[i].bound ? have[i].bound->to_string() : "unbound",
                          have[i].device.empty() ? "" : " on ", have[i].device));
    inherited[i].fd.reset();
  }
  return media;
}

}  // namespace vigil::io
