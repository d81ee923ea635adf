#include "heartbeatd/io/udp_medium.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace vigil::io {

namespace {

// The interface a datagram arrived on, from its IP_PKTINFO or IPV6_PKTINFO
// control message; 0 if it carried none.
int arriving_ifindex(msghdr& msg) {
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      in_pktinfo info{};
      std::memcpy(&info, CMSG_DATA(c), sizeof info);
      return info.ipi_ifindex;
    }
    if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
      in6_pktinfo info{};
      std::memcpy(&info, CMSG_DATA(c), sizeof info);
      return static_cast<int>(info.ipi6_ifindex);
    }
  }
  return 0;
}

// Bounds the datagrams of other interfaces one receive() call skips, so a
// flood on an interface without a medium cannot hold the loop.
constexpr int kMaxForeignSkipped = 64;

}  // namespace

UdpMedium::UdpMedium(MediumPlan plan, UniqueFd send_fd, UniqueFd receive_fd,
                     std::shared_ptr<const ArrivalLinks> arrival)
    : plan_(std::move(plan)),
      send_fd_(std::move(send_fd)),
      receive_fd_(std::move(receive_fd)),
      // One byte more than the limit, so an oversized datagram is noticed
      // even where MSG_TRUNC is not reported.
      buffer_(kMaxMessageBytes + 1),
      arrival_(std::move(arrival)) {
  if (arrival_) {
    // systemd's PassPacketInfo= sets these already; a socket from another
    // manager may not have them.
    const int on = 1;
    if (plan_.receive.family == AF_INET6)
      setsockopt(receive_fd_.get(), IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof on);
    else
      setsockopt(receive_fd_.get(), IPPROTO_IP, IP_PKTINFO, &on, sizeof on);
  }
}

Status UdpMedium::send(std::span<const std::byte> message) {
  if (message.size() > kMaxMessageBytes)
    return Error{fmt::format("{}: message of {} bytes exceeds {}", plan_.link_name,
                             message.size(), kMaxMessageBytes)};
  const ssize_t n = sendto(send_fd_.get(), message.data(), message.size(),
                           MSG_DONTWAIT | MSG_NOSIGNAL, plan_.destination.get(),
                           plan_.destination.size());
  if (n < 0)
    return Error{fmt::format("{}: send to {}: {}", plan_.link_name,
                             plan_.destination.to_string(), std::strerror(errno))};
  return ok_status();
}

Result<std::optional<Datagram>> UdpMedium::receive() {
  sockaddr_storage from{};
  socklen_t from_len = 0;
  std::string link;
  ssize_t n = -1;
  for (int skipped = 0;; ++skipped) {
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(in6_pktinfo))];
    iovec iov{buffer_.data(), buffer_.size()};
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    n = recvmsg(receive_fd_.get(), &msg, MSG_DONTWAIT | MSG_TRUNC);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
        return std::optional<Datagram>{};
      return Error{fmt::format("{}: receive: {}", plan_.link_name, std::strerror(errno))};
    }
    from_len = msg.msg_namelen;
    if (!arrival_) break;
    auto known = arrival_->find(arriving_ifindex(msg));
    if (known != arrival_->end()) {
      if (known->second != plan_.link_name) link = known->second;
      break;
    }
    if (skipped + 1 >= kMaxForeignSkipped) return std::optional<Datagram>{};
  }
  auto sender = SocketAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&from), from_len);
  const auto size = static_cast<std::size_t>(n);
  if (size > kMaxMessageBytes)
    return Error{fmt::format("{}: dropped a datagram of {} bytes from {} (limit {})",
                             plan_.link_name, size,
                             sender ? sender->to_string() : std::string("?"), kMaxMessageBytes)};
  Datagram d;
  d.bytes.assign(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(size));
  if (sender) d.from = *sender;
  d.link = std::move(link);
  return std::optional<Datagram>(std::move(d));
}

}  // namespace vigil::io
