#include "conf/ip_spec.h"

#include <arpa/inet.h>

#include "conf/ip_literal.h"
#include "conf/text.h"

namespace vigil::conf {

namespace {

// The wrappers' two steps, `sed 's%/.*%%'` (the field) and
// `sed 's%^FIELD/*%%'` (the rest, without the '/' run after the field).
struct Cut {
  std::string field;
  std::string_view rest;
};

Cut cut_field(std::string_view s) {
  const std::size_t slash = s.find('/');
  Cut c{std::string(s.substr(0, slash)), {}};
  if (slash == std::string_view::npos) return c;
  std::string_view rest = s.substr(slash);
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  c.rest = rest;
  return c;
}

// A prefix length, or for IPv4 a contiguous dotted netmask (findif
// converts those, §3.1).
std::optional<int> parse_prefix(std::string_view s, bool v6) {
  if (auto n = parse_int(s, 1, v6 ? 128 : 32)) return static_cast<int>(*n);
  if (v6) return std::nullopt;
  const auto mask = parse_ipv4(s);
  if (!mask) return std::nullopt;
  const std::uint32_t m = ntohl(mask->s_addr);
  const std::uint32_t inverted = ~m;
  if (m == 0 || (inverted & (inverted + 1)) != 0) return std::nullopt;  // not contiguous
  return __builtin_popcount(m);
}

Error bad(const std::string& what, const std::string& expected) {
  return Error{what + "; " + expected};
}

void note(std::vector<std::string>* warnings, std::string text) {
  if (warnings != nullptr) warnings->push_back(std::move(text));
}

// NIC or NIC:label, for IPaddr/IPaddr2/IPv6addr.
Result<IpSpec> take_nic(IpSpec ip, std::string nic, IpResource kind,
                        std::vector<std::string>* warnings) {
  if (const std::size_t colon = nic.find(':'); colon != std::string::npos) {
    if (kind == IpResource::kIPv6addr)
      return bad("interface [" + nic + "] of " + ip.address + " has a label",
                 "IPv6 addresses have no labels; expected IPv6addr::IP6/PREFIX/NIC");
    const std::string label = nic.substr(colon + 1);
    if (label.empty() || !is_interface_name(nic))
      return bad("bad interface label [" + nic + "]",
                 "expected NIC:label of at most 15 characters in all");
    nic.resize(colon);
    if (kind == IpResource::kIpAddr2) {
      ip.label = label;
    } else {
      // IPaddr's agent cuts ":label" off the nic (ip_validate_all) and
      // names the address with the first free alias, as without a label.
      note(warnings, "IPaddr ignores the label [" + label + "] of " + nic + ":" + label +
                         ", as heartbeat's IPaddr agent does: " + ip.address +
                         " gets the first free alias " + nic +
                         ":N; use IPaddr2 for a label of your choice");
    }
  }
  if (!is_interface_name(nic))
    return bad("bad interface name [" + nic + "]", "expected 1 to 15 characters without '/'");
  ip.nic = nic;
  return ip;
}

void ignored_tail(std::vector<std::string>* warnings, std::string_view arg, std::string_view tail) {
  if (!tail.empty())
    note(warnings, "[" + std::string(tail) + "] at the end of [" + std::string(arg) +
                       "] is ignored, as heartbeat's wrapper ignores it");
}

Result<IpSpec> parse_v4(std::string_view arg, IpResource kind, std::vector<std::string>* warnings) {
  const std::string usage = "expected IP[/NETMASK[/NIC[/BROADCAST]]]";
  IpSpec ip;
  Cut base = cut_field(arg);
  ip.address = base.field;
  if (!parse_ipv4(ip.address)) return bad("bad IPv4 address [" + ip.address + "]", usage);
  if (base.rest.empty()) return ip;

  Cut mask = cut_field(base.rest);
  ip.cidr_bits = parse_prefix(mask.field, false);
  if (!ip.cidr_bits) {
    const bool looks_like_nic = !mask.field.empty() && !is_digit(mask.field[0]);
    return bad("netmask [" + mask.field + "] of " + ip.address + " out of range",
               looks_like_nic
                   ? "heartbeat's wrapper skips empty fields, so the field after the address is "
                     "always the netmask; expected IP/NETMASK/NIC"
                   : "expected a prefix length from 1 to 32 or a dotted netmask");
  }
  if (mask.rest.empty()) return ip;

  Cut third = cut_field(mask.rest);
  if (is_digit(third.field[0])) {
    // The wrapper's `[0-9]*)` case: a broadcast, and nothing after it is read.
    if (!parse_ipv4(third.field))
      return bad("bad broadcast address [" + third.field + "]", "expected an IPv4 address");
    ip.broadcast = third.field;
    ignored_tail(warnings, arg, third.rest);
    return ip;
  }
  auto with_nic = take_nic(std::move(ip), third.field, kind, warnings);
  if (!with_nic) return with_nic;
  ip = std::move(with_nic.value());
  if (third.rest.empty()) return ip;
  Cut broadcast = cut_field(third.rest);
  if (!parse_ipv4(broadcast.field))
    return bad("bad broadcast address [" + broadcast.field + "]", "expected an IPv4 address");
  ip.broadcast = broadcast.field;
  ignored_tail(warnings, arg, broadcast.rest);
  return ip;
}

Result<IpSpec> parse_v6(std::string_view arg, std::vector<std::string>* warnings) {
  const std::string usage = "expected IPv6addr::IP6[/PREFIX[/NIC]]";
  IpSpec ip;
  ip.ipv6 = true;
  const std::size_t slash = arg.find('/');
  ip.address = std::string(arg.substr(0, slash));
  if (!parse_ipv6(ip.address)) return bad("bad IPv6 address [" + ip.address + "]", usage);
  if (slash == std::string_view::npos || slash + 1 == arg.size()) return ip;
  // `${str#/}`: one '/' only, so `IP6//eth0` has an empty prefix.
  Cut prefix = cut_field(arg.substr(slash + 1));
  if (!prefix.field.empty()) {
    ip.cidr_bits = parse_prefix(prefix.field, true);
    if (!ip.cidr_bits)
      return bad("prefix [" + prefix.field + "] of " + ip.address + " out of range",
                 "expected a prefix length from 1 to 128");
  }
  if (prefix.rest.empty()) return ip;
  Cut nic = cut_field(prefix.rest);
  auto with_nic = take_nic(std::move(ip), nic.field, IpResource::kIPv6addr, warnings);
  if (!with_nic) return with_nic;
  ignored_tail(warnings, arg, nic.rest);
  return with_nic;
}

}  // namespace

bool looks_like_ipv4_resource(std::string_view token) {
  if (token.empty() || !is_digit(token[0])) return false;
  std::size_t pos = 1;
  for (int dots = 0; dots < 3; ++dots) {
    // Each '*' of the glob may skip anything, so find any ".<digit>".
    bool found = false;
    for (; pos + 1 < token.size(); ++pos) {
      if (token[pos] == '.' && is_digit(token[pos + 1])) {
        pos += 2;
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

Result<IpSpec> parse_ip_spec(std::string_view arg, IpResource kind,
                             std::vector<std::string>* warnings) {
  if (kind == IpResource::kIPv6addr) return parse_v6(arg, warnings);
  return parse_v4(arg, kind, warnings);
}

std::string format_ip_spec(const IpSpec& ip) {
  std::string s = ip.address;
  const bool any_after_bits = ip.nic || ip.broadcast;
  if (ip.cidr_bits || any_after_bits)
    s += "/" + (ip.cidr_bits ? std::to_string(*ip.cidr_bits) : "");
  if (ip.nic) s += "/" + *ip.nic + (ip.label ? ":" + *ip.label : "");
  if (ip.broadcast) s += "/" + *ip.broadcast;
  return s;
}

}  // namespace vigil::conf
