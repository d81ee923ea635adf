#include "heartbeatd/io/udp_medium.h"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace vigil::io {

UdpMedium::UdpMedium(MediumPlan plan, UniqueFd send_fd, UniqueFd receive_fd)
    : plan_(std::move(plan)),
      send_fd_(std::move(send_fd)),
      receive_fd_(std::move(receive_fd)),
      // One byte more than the limit, so an oversized datagram is noticed
      // even where MSG_TRUNC is not reported.
      buffer_(kMaxMessageBytes + 1) {}

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
  socklen_t from_len = sizeof from;
  const ssize_t n = recvfrom(receive_fd_.get(), buffer_.data(), buffer_.size(),
                             MSG_DONTWAIT | MSG_TRUNC, reinterpret_cast<sockaddr*>(&from),
                             &from_len);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
      return std::optional<Datagram>{};
    return Error{fmt::format("{}: receive: {}", plan_.link_name, std::strerror(errno))};
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
  return std::optional<Datagram>(std::move(d));
}

}  // namespace vigil::io
