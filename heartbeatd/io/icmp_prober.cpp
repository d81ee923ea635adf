#include "heartbeatd/io/icmp_prober.h"

#include <fmt/format.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "heartbeatd/io/resolve.h"

namespace vigil::io {

namespace {

constexpr std::size_t kEchoHeader = 8;  // type, code, checksum, id, seq

std::string ping_group_range() {
  std::ifstream in("/proc/sys/net/ipv4/ping_group_range");
  std::string low, high;
  if (!(in >> low >> high)) return "unreadable";
  return low + " " + high;
}

Result<UniqueFd> open_socket(int family) {
  const int protocol = family == AF_INET ? int{IPPROTO_ICMP} : int{IPPROTO_ICMPV6};
  const int fd = ::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
  if (fd >= 0) return UniqueFd(fd);
  const int err = errno;
  if (err == EACCES || err == EPERM)
    return Error{fmt::format(
        "cannot open an ICMP datagram socket for the ping nodes: {}; heartbeatd's group (gid {}) "
        "must be inside net.ipv4.ping_group_range (now {}; see vigil's ping-nodes notes)",
        std::strerror(err), static_cast<unsigned>(::getegid()), ping_group_range())};
  return Error{fmt::format("cannot open an ICMP datagram socket for the ping nodes: {}",
                           std::strerror(err))};
}

bool same_host(const SocketAddress& a, const SocketAddress& b) {
  if (a.family() != b.family()) return false;
  if (a.is_ipv4()) return a.ipv4_address().s_addr == b.ipv4_address().s_addr;
  return std::memcmp(&a.ipv6_address(), &b.ipv6_address(), sizeof(in6_addr)) == 0;
}

}  // namespace

Result<IcmpProber> IcmpProber::open(const std::vector<conf::PingNode>& nodes) {
  IcmpProber p;
  for (const auto& node : nodes) {
    for (const auto& host : node.targets) {
      auto address =
          node.kind == conf::MediumKind::kPing6 ? resolve_ipv6(host, 0, 0) : resolve_ipv4(host, 0);
      if (!address)
        return Error{fmt::format("ping node {}: {}", node.name, address.error().message)};
      p.targets_.push_back({node.name, *address});
    }
  }
  for (const auto& t : p.targets_) {
    UniqueFd& fd = t.address.is_ipv4() ? p.v4_ : p.v6_;
    if (fd.get() >= 0) continue;
    auto opened = open_socket(t.address.family());
    if (!opened) return opened.error();
    fd = std::move(*opened);
  }
  return p;
}

void IcmpProber::probe(std::string_view node, std::span<const std::byte> payload) {
  for (const auto& t : targets_) {
    if (t.node != node) continue;
    const std::uint16_t seq = next_seq_++;
    seq_node_[seq % kSeqSlots] = t.node;
    std::vector<std::byte> packet(kEchoHeader + payload.size());
    // The kernel writes the identifier and the checksum of a datagram
    // ICMP socket; type, code and sequence are ours.
    packet[0] =
        std::byte{static_cast<unsigned char>(t.address.is_ipv4() ? ICMP_ECHO : ICMP6_ECHO_REQUEST)};
    packet[6] = std::byte{static_cast<unsigned char>(seq >> 8)};
    packet[7] = std::byte{static_cast<unsigned char>(seq & 0xff)};
    std::memcpy(packet.data() + kEchoHeader, payload.data(), payload.size());
    const int fd = t.address.is_ipv4() ? v4_.get() : v6_.get();
    // Lost like a reply that never comes: the core's deadping decides.
    (void)::sendto(fd, packet.data(), packet.size(), MSG_DONTWAIT, t.address.get(),
                   t.address.size());
  }
}

std::vector<int> IcmpProber::fds() const {
  std::vector<int> out;
  if (v4_.get() >= 0) out.push_back(v4_.get());
  if (v6_.get() >= 0) out.push_back(v6_.get());
  return out;
}

const IcmpProber::Target* IcmpProber::target_for(std::string_view node,
                                                 const SocketAddress& from) const {
  for (const auto& t : targets_)
    if (t.node == node && same_host(t.address, from)) return &t;
  return nullptr;
}

std::optional<PingReply> IcmpProber::receive(int fd) {
  const bool v4 = fd == v4_.get();
  for (int skipped = 0; skipped < 64; ++skipped) {
    sockaddr_storage from{};
    socklen_t from_len = sizeof from;
    const ssize_t n = ::recvfrom(fd, buffer_.data(), buffer_.size(), MSG_DONTWAIT,
                                 reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n < 0) return std::nullopt;  // EAGAIN, or an ICMP error queued: nothing to hand over
    const auto size = static_cast<std::size_t>(n);
    if (size <= kEchoHeader) continue;
    const auto type = std::to_integer<unsigned>(buffer_[0]);
    if (type != (v4 ? ICMP_ECHOREPLY : ICMP6_ECHO_REPLY)) continue;
    const auto seq = static_cast<std::uint16_t>((std::to_integer<unsigned>(buffer_[6]) << 8) |
                                                std::to_integer<unsigned>(buffer_[7]));
    auto address = SocketAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&from), from_len);
    if (!address) continue;
    const std::string& node = seq_node_[seq % kSeqSlots];
    if (node.empty() || target_for(node, *address) == nullptr) continue;
    PingReply r;
    r.node = node;
    r.payload.assign(buffer_.begin() + kEchoHeader, buffer_.begin() + static_cast<long>(size));
    r.from = address->host();
    return r;
  }
  return std::nullopt;
}

}  // namespace vigil::io
