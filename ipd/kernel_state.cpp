#include "ipd/kernel_state.h"

namespace vigil::ipd {

const LinkInfo* KernelState::find_link(int ifindex) const {
  for (const auto& l : links)
    if (l.ifindex == ifindex) return &l;
  return nullptr;
}

const LinkInfo* KernelState::find_link(std::string_view name) const {
  for (const auto& l : links)
    if (l.name == name) return &l;
  return nullptr;
}

const AddressInfo* KernelState::find_address(int ifindex, const IpAddress& address) const {
  for (const auto& a : addresses)
    if (a.ifindex == ifindex && a.address == address) return &a;
  return nullptr;
}

const AddressInfo* KernelState::find_address(const IpAddress& address) const {
  for (const auto& a : addresses)
    if (a.address == address) return &a;
  return nullptr;
}

}  // namespace vigil::ipd
