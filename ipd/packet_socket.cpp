#include "ipd/packet_socket.h"

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace vigil::ipd {

Result<std::unique_ptr<PacketSocket>> PacketSocket::open() {
  // Protocol 0: the kernel delivers nothing to this socket, so no receive
  // queue ever fills with the segment's traffic.
  UniqueFd fd(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) return Error{std::string("AF_PACKET socket: ") + std::strerror(errno)};
  return std::unique_ptr<PacketSocket>(new PacketSocket(std::move(fd)));
}

Status PacketSocket::send(int ifindex, const std::vector<std::uint8_t>& frame) {
  if (frame.size() < ETH_HLEN) return Error{"frame shorter than an Ethernet header"};
  sockaddr_ll to{};
  to.sll_family = AF_PACKET;
  to.sll_ifindex = ifindex;
  to.sll_protocol = htons(static_cast<std::uint16_t>(frame[12] << 8 | frame[13]));
  to.sll_halen = ETH_ALEN;
  std::memcpy(to.sll_addr, frame.data(), ETH_ALEN);
  const ssize_t n = ::sendto(fd_.get(), frame.data(), frame.size(), MSG_DONTWAIT,
                             reinterpret_cast<const sockaddr*>(&to), sizeof to);
  if (n < 0)
    return Error{std::string("sending on ifindex ") + std::to_string(ifindex) + ": " +
                 std::strerror(errno)};
  return ok_status();
}

}  // namespace vigil::ipd
