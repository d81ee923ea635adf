#include "ipd/kernel_vips.h"

#include "ipd/resolve.h"

namespace vigil::ipd {

Result<AddOutcome> KernelVips::acquire(const conf::Resource& resource) {
  auto vip = controller_.resolve(resource);
  if (!vip) return vip.error();
  return controller_.acquire(*vip);
}

Result<RemoveOutcome> KernelVips::release(const conf::Resource& resource) {
  auto vip = controller_.resolve(resource);
  if (!vip) return vip.error();
  return controller_.release(*vip);
}

Result<VipPresence> KernelVips::inspect(const conf::Resource& resource) {
  auto state = controller_.kernel_state();
  if (!state) return state.error();
  auto vip = resolve_vip(resource, *state);
  // An entry whose interface cannot be found is not configured anywhere we
  // would look: absent, not an error (ListVips answers for every entry).
  if (!vip) return VipPresence{};
  return VipPresence{state->find_address(vip->ifindex, vip->address) != nullptr, vip->interface,
                     vip->describe()};
}

Status KernelVips::announce(const conf::Resource& resource, int rounds) {
  auto vip = controller_.resolve(resource);
  if (!vip) return vip.error();
  if (rounds > 0) vip->announcement.count = rounds;
  return controller_.reannounce(*vip);
}

Status KernelVips::watch(const conf::Resource& resource) {
  auto vip = controller_.resolve(resource);
  if (!vip) return vip.error();
  controller_.watch(*vip);
  return ok_status();
}

}  // namespace vigil::ipd
