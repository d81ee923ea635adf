#include "ipd/vip_controller.h"

#include "common/log.h"
#include "ipd/resolve.h"
#include "ipd/sysctl.h"

namespace vigil::ipd {

VipController::VipController(EventCallback on_event) : on_event_(std::move(on_event)) {}

VipController::~VipController() = default;

Result<std::unique_ptr<VipController>> VipController::open(EventLoop& loop,
                                                           EventCallback on_event) {
  std::unique_ptr<VipController> c(new VipController(std::move(on_event)));
  auto manager = AddressManager::open();
  if (!manager) return manager.error();
  c->manager_ = std::move(manager).value();
  auto packets = PacketSocket::open();
  if (!packets) return packets.error();
  c->packets_ = std::move(packets).value();
  c->announcer_ = std::make_unique<Announcer>(loop, *c->packets_);
  // Subscribe before reading the baseline, so no change falls in between.
  auto watcher =
      NetlinkWatcher::open(loop, [self = c.get()](const KernelChange& ch) { self->on_change(ch); });
  if (!watcher) return watcher.error();
  c->watcher_ = std::move(watcher).value();
  auto state = c->manager_->read_state();
  if (!state) return state.error();
  c->watch_.reset(*state);
  return c;
}

Result<ResolvedVip> VipController::resolve(const conf::Resource& resource) {
  auto state = manager_->read_state();
  if (!state) return state.error();
  return resolve_vip(resource, *state);
}

Result<ResolvedVip> VipController::resolve(const conf::IpSpec& spec, VipForm form) {
  auto state = manager_->read_state();
  if (!state) return state.error();
  return resolve_vip(spec, form, *state);
}

Result<AddOutcome> VipController::acquire(const ResolvedVip& vip) {
  auto outcome = manager_->add(vip);
  if (!outcome) return outcome;
  watch(vip);
  if (const Status st = reannounce(vip); !st) log::warn(st.error().message);
  return outcome;
}

Result<RemoveOutcome> VipController::release(const ResolvedVip& vip) {
  watch_.unmanage(vip.address);
  held_.erase(vip.address.to_string());
  announcer_->cancel(vip.address);
  return manager_->remove(vip);
}

void VipController::watch(const ResolvedVip& vip) {
  watch_.manage(vip);
  held_[vip.address.to_string()] = vip;
}

Status VipController::reannounce(const ResolvedVip& vip) {
  auto state = manager_->read_state();
  if (!state) return state.error();
  if (state->find_address(vip.ifindex, vip.address) == nullptr)
    return Error{"not announcing " + vip.describe() + ": it is not configured"};
  const LinkInfo* link = state->find_link(vip.ifindex);
  if (link == nullptr || !link->has_mac)
    return Error{"not announcing " + vip.describe() + ": the interface has no Ethernet address"};
  announcer_->announce(vip, link->mac, !vip.address.is_v4() && ipv6_forwarding(vip.interface));
  return ok_status();
}

void VipController::on_change(const KernelChange& change) {
  if (std::holds_alternative<ChangesLost>(change)) {
    resync();
    return;
  }
  const auto event = watch_.on_change(change);
  if (!event) return;
  on_event_(*event);
  // Neighbours may have aged our entries out while the link was down, and a
  // switch may have learnt the MAC elsewhere: announce again (field-notes A2).
  if (event->kind == WatchEvent::Kind::kLinkUp)
    for (const auto& [key, vip] : held_)
      if (vip.ifindex == event->ifindex)
        if (const Status st = reannounce(vip); !st) log::warn(st.error().message);
}

void VipController::resync() {
  auto state = manager_->read_state();
  if (!state) {
    log::error("re-reading the kernel after lost netlink notifications: " + state.error().message);
    return;
  }
  watch_.reset(*state);
  on_event_(WatchEvent{WatchEvent::Kind::kResyncNeeded, 0, {}, std::nullopt});
  for (const auto& [key, vip] : held_)
    if (state->find_address(vip.ifindex, vip.address) == nullptr)
      on_event_(WatchEvent{WatchEvent::Kind::kVipRemoved, vip.ifindex, vip.interface, vip.address});
}

}  // namespace vigil::ipd
