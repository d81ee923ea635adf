// The kernel's links and addresses as plain data. AddressManager reads them
// over netlink (ipd keeps no state of its own: everything it knows about
// addresses comes from here, at start and after every change), and the
// resolver works on them without a kernel, so tests build them by hand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ipd/ip_address.h"

namespace vigil::ipd {

struct LinkInfo {
  int ifindex = 0;
  std::string name;       // "eth0"
  bool admin_up = false;  // IFF_UP
  bool carrier = false;   // IFF_LOWER_UP
  MacAddress mac{};       // all zero when the link has no Ethernet address
  bool has_mac = false;

  // What "link up" means to ipd: administratively up and with carrier.
  bool usable() const { return admin_up && carrier; }
};

struct AddressInfo {
  int ifindex = 0;
  IpAddress address;  // IFA_LOCAL (IFA_ADDRESS for IPv6)
  int prefix_len = 0;
  std::optional<IpAddress> broadcast;  // IPv4 only
  std::string label;                   // IPv4 only; "eth0" or "eth0:web"
  std::uint32_t flags = 0;             // IFA_F_* (IFA_F_TENTATIVE, IFA_F_NODAD, ...)
};

struct KernelState {
  std::vector<LinkInfo> links;
  std::vector<AddressInfo> addresses;

  const LinkInfo* find_link(int ifindex) const;
  const LinkInfo* find_link(std::string_view name) const;
  // The address `address` on interface `ifindex`, if configured there.
  const AddressInfo* find_address(int ifindex, const IpAddress& address) const;
  // The address `address` on any interface.
  const AddressInfo* find_address(const IpAddress& address) const;
};

}  // namespace vigil::ipd
