#include "conf/ip_spec.h"

#include <arpa/inet.h>

#include <vector>

#include "conf/ip_literal.h"
#include "conf/text.h"

namespace vigil::conf {

namespace {

// Fields separated by '/', empty fields kept (the wrappers split with
// IFS=/, which keeps them) and treated as "not written".
std::vector<std::string> split_fields(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (true) {
    const std::size_t end = s.find('/', i);
    out.emplace_back(s.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i));
    if (end == std::string_view::npos) break;
    i = end + 1;
  }
  return out;
}

// A prefix length, or for IPv4 a contiguous dotted netmask.
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

Result<IpSpec> parse_ip_spec(std::string_view arg, IpResource kind) {
  const bool v6 = kind == IpResource::kIPv6addr;
  const std::string usage = v6 ? "expected IPv6addr::IP6[/PREFIX[/NIC]]"
                               : "expected IP[/CIDRBITS[/NIC[/BROADCAST]]]";
  std::vector<std::string> f = split_fields(arg);
  if (f.size() > (v6 ? 3u : 4u)) return bad("too many '/' fields in [" + std::string(arg) + "]", usage);

  IpSpec ip;
  ip.ipv6 = v6;
  ip.address = f[0];
  if (v6 ? !parse_ipv6(f[0]) : !parse_ipv4(f[0]))
    return bad(std::string("bad ") + (v6 ? "IPv6" : "IPv4") + " address [" + f[0] + "]", usage);

  if (f.size() > 1 && !f[1].empty()) {
    ip.cidr_bits = parse_prefix(f[1], v6);
    if (!ip.cidr_bits)
      return bad("netmask [" + f[1] + "] of " + f[0] + " out of range",
                 v6 ? "expected a prefix length from 1 to 128"
                    : "expected a prefix length from 1 to 32 or a dotted netmask");
  }
  std::size_t next = 2;
  if (f.size() > next && !f[next].empty() && !(is_digit(f[next][0]) && !v6)) {
    std::string nic = f[next];
    if (const std::size_t colon = nic.find(':'); colon != std::string::npos) {
      if (kind != IpResource::kIpAddr2)
        return bad("interface label [" + nic + "] is only understood by IPaddr2",
                   "expected a plain interface name, or IPaddr2::IP/BITS/NIC:label");
      const std::string label = nic.substr(colon + 1);
      if (label.empty() || !is_interface_name(nic))
        return bad("bad interface label [" + nic + "]",
                   "expected NIC:label of at most 15 characters in all");
      ip.label = label;
      nic.resize(colon);
    }
    if (!is_interface_name(nic))
      return bad("bad interface name [" + nic + "]", "expected 1 to 15 characters without '/'");
    ip.nic = nic;
    ++next;
  } else if (f.size() > next && f[next].empty()) {
    ++next;
  }
  if (f.size() > next && !f[next].empty()) {
    // IPv4 only: a digit in the third field, or the fourth field.
    if (v6 || next + 1 != f.size())
      return bad("unexpected field [" + f[next] + "] in [" + std::string(arg) + "]", usage);
    if (!parse_ipv4(f[next]))
      return bad("bad broadcast address [" + f[next] + "]", "expected an IPv4 address");
    ip.broadcast = f[next];
  }
  return ip;
}

std::string format_ip_spec(const IpSpec& ip) {
  std::string s = ip.address;
  const bool any_after_bits = ip.nic || ip.broadcast;
  if (ip.cidr_bits || any_after_bits) s += "/" + (ip.cidr_bits ? std::to_string(*ip.cidr_bits) : "");
  if (ip.nic) s += "/" + *ip.nic + (ip.label ? ":" + *ip.label : "");
  if (ip.broadcast) s += "/" + *ip.broadcast;
  return s;
}

}  // namespace vigil::conf
