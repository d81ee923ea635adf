#include "ipd/vip_watch.h"

namespace vigil::ipd {

const char* WatchEvent::event_id() const {
  switch (kind) {
    case Kind::kVipRemoved:
      return "vip-removed";
    case Kind::kLinkDown:
      return "link-down";
    case Kind::kLinkUp:
      return "link-up";
    case Kind::kResyncNeeded:
      return "resync-needed";
  }
  return "?";
}

std::string WatchEvent::describe() const {
  switch (kind) {
    case Kind::kVipRemoved:
      return "vip-removed " + (address ? address->to_string() : std::string("?")) + " " + interface;
    case Kind::kLinkDown:
      return "link-down " + interface;
    case Kind::kLinkUp:
      return "link-up " + interface;
    case Kind::kResyncNeeded:
      return "resync-needed";
  }
  return "?";
}

void VipWatch::reset(const KernelState& kernel) {
  links_.clear();
  for (const auto& l : kernel.links) links_[l.ifindex] = Link{l.name, l.usable()};
}

void VipWatch::manage(const ResolvedVip& vip) {
  managed_[vip.address.to_string()] = Managed{vip.ifindex, vip.interface};
}

void VipWatch::unmanage(const IpAddress& address) { managed_.erase(address.to_string()); }

bool VipWatch::manages(const IpAddress& address) const {
  return managed_.count(address.to_string()) != 0;
}

std::optional<WatchEvent> VipWatch::on_change(const KernelChange& change) {
  if (const auto* a = std::get_if<AddressChange>(&change)) return on_address(*a);
  if (const auto* l = std::get_if<LinkChange>(&change)) return on_link(*l);
  return WatchEvent{WatchEvent::Kind::kResyncNeeded, 0, {}, std::nullopt};
}

std::optional<WatchEvent> VipWatch::on_address(const AddressChange& change) {
  if (!change.removed) return std::nullopt;
  const auto it = managed_.find(change.address.address.to_string());
  if (it == managed_.end() || it->second.ifindex != change.address.ifindex) return std::nullopt;
  return WatchEvent{WatchEvent::Kind::kVipRemoved, it->second.ifindex, it->second.interface,
                    change.address.address};
}

std::optional<WatchEvent> VipWatch::on_link(const LinkChange& change) {
  const LinkInfo& l = change.link;
  const bool usable = !change.removed && l.usable();
  const auto it = links_.find(l.ifindex);
  const bool known = it != links_.end();
  const bool was_usable = known && it->second.usable;
  const std::string name = !l.name.empty() ? l.name : known ? it->second.name : std::string();
  if (change.removed)
    links_.erase(l.ifindex);
  else
    links_[l.ifindex] = Link{name, usable};
  if (!known || usable == was_usable) return std::nullopt;  // a new link is a baseline only
  return WatchEvent{usable ? WatchEvent::Kind::kLinkUp : WatchEvent::Kind::kLinkDown, l.ifindex,
                    name, std::nullopt};
}

}  // namespace vigil::ipd
