#include "resourced/agent_description.h"

#include <fmt/format.h>

namespace vigil::resourced {

namespace {

std::string shown(const std::string& value) {
  if (!value.empty() && value.find_first_of(" \t'") == std::string::npos) return value;
  std::string q = "'";
  for (char c : value) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string words(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& w : v) s += " " + shown(w);
  return s;
}

}  // namespace

std::string describe_agent_call(const AgentCall& call) {
  switch (call.kind) {
    case AgentKind::kHeartbeat:
      return fmt::format("{}{} start|stop|status", call.path, words(call.args));
    case AgentKind::kLsb:
      return fmt::format("{}{} start|stop|status (init.d)", call.path, words(call.args));
    case AgentKind::kOcf: {
      std::string s = fmt::format("ocf:{}:{}", call.ocf_provider, call.ocf_type);
      for (const auto& [key, value] : call.ocf_params)
        s += fmt::format(" {}={}", key, shown(value));
      return s;
    }
    case AgentKind::kSystemd:
      return fmt::format("systemd unit {}", call.unit);
  }
  return {};
}

std::string describe_ip_resource(const conf::Resource& r) {
  if (!r.ip) return {};
  const conf::IpSpec& ip = *r.ip;
  const bool v6 = r.kind == conf::ResourceKind::kIPv6addr;
  std::string s = fmt::format("ipd {} {}={}", r.name, v6 ? "ipv6addr" : "ip", ip.address);
  s += ip.cidr_bits ? fmt::format(" cidr_netmask={}", *ip.cidr_bits) : " cidr_netmask=(computed)";
  s += ip.nic ? fmt::format(" nic={}", *ip.nic) : " nic=(computed)";
  if (!v6)
    s += ip.broadcast ? fmt::format(" broadcast={}", *ip.broadcast) : " broadcast=(computed)";
  if (ip.label)
    s += fmt::format(" label={}:{}", ip.nic.value_or("NIC"), *ip.label);
  else if (r.kind == conf::ResourceKind::kIpAddr)
    s += " label=(first free NIC:N)";
  return s;
}

}  // namespace vigil::resourced
