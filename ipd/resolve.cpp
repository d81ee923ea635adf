#include "ipd/resolve.h"

#include <cctype>

namespace vigil::ipd {

namespace {

std::string spec_text(const conf::IpSpec& spec) {
  std::string t = spec.address;
  if (spec.cidr_bits) t += "/" + std::to_string(*spec.cidr_bits);
  if (spec.nic) t += "/" + *spec.nic + (spec.label ? ":" + *spec.label : "");
  if (spec.broadcast) t += "/" + *spec.broadcast;
  return t;
}

Error fail(const conf::IpSpec& spec, const std::string& why) {
  return Error{"IP " + spec_text(spec) + ": " + why};
}

// The existing address whose subnet holds `vip`, on `only_ifindex` when it
// is non-zero. Longest prefix first, then lowest ifindex (findif follows the
// most specific route).
const AddressInfo* find_holding_subnet(const KernelState& kernel, const IpAddress& vip,
                                       int only_ifindex) {
  const AddressInfo* best = nullptr;
  for (const auto& a : kernel.addresses) {
    if (a.address == vip) continue;
    if (only_ifindex != 0 && a.ifindex != only_ifindex) continue;
    if (!a.address.same_subnet(vip, a.prefix_len)) continue;
    if (best == nullptr || a.prefix_len > best->prefix_len ||
        (a.prefix_len == best->prefix_len && a.ifindex < best->ifindex))
      best = &a;
  }
  if (best != nullptr) return best;
  // The host's own address of that subnet is gone but the VIP is still
  // configured: it must stay resolvable, or it could never be released.
  for (const auto& a : kernel.addresses)
    if (a.address == vip && (only_ifindex == 0 || a.ifindex == only_ifindex)) return &a;
  return nullptr;
}

bool is_alias_label(const std::string& label, const std::string& nic) {
  if (label.size() <= nic.size() + 1 || label.compare(0, nic.size(), nic) != 0 ||
      label[nic.size()] != ':')
    return false;
  for (std::size_t i = nic.size() + 1; i < label.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(label[i]))) return false;
  return true;
}

std::string first_free_alias(const KernelState& kernel, int ifindex, const std::string& nic) {
  for (int n = 0;; ++n) {
    const std::string candidate = nic + ":" + std::to_string(n);
    bool used = false;
    for (const auto& a : kernel.addresses)
      if (a.ifindex == ifindex && a.label == candidate) used = true;
    if (!used) return candidate;
  }
}

Result<std::string> resolve_label(const conf::IpSpec& spec, VipForm form, const KernelState& kernel,
                                  const ResolvedVip& vip) {
  if (spec.label) {
    if (!vip.address.is_v4()) return fail(spec, "IPv6 addresses have no labels");
    const std::string& l = *spec.label;
    std::string label = l.compare(0, vip.interface.size() + 1, vip.interface + ":") == 0
                            ? l
                            : vip.interface + ":" + l;
    if (label.size() > kMaxLabelLength)
      return fail(spec, "label " + label + " is longer than " + std::to_string(kMaxLabelLength) +
                            " characters");
    return label;
  }
  if (form != VipForm::kIpAddr) return std::string();
  if (const auto* present = kernel.find_address(vip.ifindex, vip.address);
      present != nullptr && is_alias_label(present->label, vip.interface))
    return present->label;
  std::string label = first_free_alias(kernel, vip.ifindex, vip.interface);
  return label.size() > kMaxLabelLength ? std::string() : label;
}

}  // namespace

Result<ResolvedVip> resolve_vip(const conf::Resource& resource, const KernelState& kernel) {
  if (!resource.ip) return Error{resource.text + ": not an IP resource"};
  switch (resource.kind) {
    case conf::ResourceKind::kIpAddr:
      return resolve_vip(*resource.ip, VipForm::kIpAddr, kernel);
    case conf::ResourceKind::kIpAddr2:
      return resolve_vip(*resource.ip, VipForm::kIpAddr2, kernel);
    case conf::ResourceKind::kIPv6addr:
      return resolve_vip(*resource.ip, VipForm::kIPv6addr, kernel);
    case conf::ResourceKind::kScript:
      break;
  }
  return Error{resource.text + ": not an IP resource"};
}

Result<ResolvedVip> resolve_vip(const conf::IpSpec& spec, VipForm form, const KernelState& kernel) {
  ResolvedVip vip;
  vip.form = form;
  const auto address = IpAddress::parse(spec.address);
  if (!address) return fail(spec, "not an IP address");
  vip.address = *address;
  if (form == VipForm::kIPv6addr && vip.address.is_v4())
    return fail(spec, "IPv6addr needs an IPv6 address");
  if (form == VipForm::kIpAddr && !vip.address.is_v4())
    return fail(spec, "IPaddr needs an IPv4 address (use IPv6addr)");
  if (spec.cidr_bits && (*spec.cidr_bits < 1 || *spec.cidr_bits > vip.address.bits()))
    return fail(spec, "prefix length must be 1 to " + std::to_string(vip.address.bits()));

  const LinkInfo* link = nullptr;
  if (spec.nic) {
    link = kernel.find_link(*spec.nic);
    if (link == nullptr) return fail(spec, "no interface named " + *spec.nic);
  }
  const AddressInfo* subnet = find_holding_subnet(kernel, vip.address, link ? link->ifindex : 0);
  if (link == nullptr) {
    if (subnet == nullptr)
      return fail(spec, "no interface has an address whose subnet holds " + spec.address +
                            "; name the interface (IP/bits/NIC)");
    link = kernel.find_link(subnet->ifindex);
    if (link == nullptr) return fail(spec, "the interface holding its subnet is gone");
  }
  vip.ifindex = link->ifindex;
  vip.interface = link->name;

  if (spec.cidr_bits) {
    vip.prefix_len = *spec.cidr_bits;
  } else if (subnet != nullptr) {
    vip.prefix_len = subnet->prefix_len;
  } else {
    return fail(spec, "no address on " + link->name + " has a subnet holding " + spec.address +
                          "; give the prefix length (IP/bits/NIC)");
  }

  if (vip.address.is_v4()) {
    if (spec.broadcast) {
      const auto b = IpAddress::parse(*spec.broadcast);
      if (!b || !b->is_v4()) return fail(spec, "broadcast " + *spec.broadcast + " is not IPv4");
      vip.broadcast = *b;
    } else if (vip.prefix_len < 31) {
      vip.broadcast = vip.address.last_in_subnet(vip.prefix_len);
    }
  } else if (spec.broadcast) {
    return fail(spec, "IPv6 addresses have no broadcast");
  }

  auto label = resolve_label(spec, form, kernel, vip);
  if (!label) return label.error();
  vip.label = std::move(label).value();
  vip.announcement = default_announcement(form);
  return vip;
}

}  // namespace vigil::ipd
