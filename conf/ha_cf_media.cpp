// The media directives of ha.cf (heartbeat-compat.md §2.1, §2.4): bcast,
// serial, ping and ping6 take one medium per token; mcast, mcast6, ucast,
// ucast6 and ping_group parse their whole line, one medium per line.
// udpport and baud are captured when the medium is created (§2.6).
#include <arpa/inet.h>

#include <string>

#include "conf/ha_cf_parser.h"
#include "conf/ip_literal.h"
#include "conf/text.h"

namespace vigil::conf::detail {

namespace {

// Whole-line media split their line on blanks only (commas are not
// delimiters for them, unlike option directives).
constexpr std::string_view kBlanks = " \t\r\n\f";

Medium make(HaCfParser& p, MediumKind kind) {
  Medium m;
  m.kind = kind;
  m.line = p.line;
  return m;
}

bool check_interface(HaCfParser& p, std::string_view ifname) {
  if (is_interface_name(ifname)) return true;
  p.error("invalid interface name [" + std::string(ifname) + "] for " + p.directive,
          "expected a network interface name of 1 to 15 characters");
  return false;
}

void on_bcast(HaCfParser& p, std::string_view ifname) {
  if (!check_interface(p, ifname)) return;
  Medium m = make(p, MediumKind::kBcast);
  m.interface = std::string(ifname);
  m.port = p.cf.udpport;
  p.udpport_media_created = true;
  p.cf.media.push_back(std::move(m));
}

void on_serial(HaCfParser& p, std::string_view dev) {
  if (dev.front() != '/') {
    p.error("invalid serial device [" + std::string(dev) + "]",
            "expected an absolute device path such as /dev/ttyS0");
    return;
  }
  p.warn("serial medium " + std::string(dev) +
         " is parsed for compatibility, but vigil sends no heartbeats over serial lines");
  Medium m = make(p, MediumKind::kSerial);
  m.interface = std::string(dev);
  m.baud = p.cf.baud;
  p.serial_created = true;
  p.cf.media.push_back(std::move(m));
}

void on_ping(HaCfParser& p, std::string_view host) {
  Medium m = make(p, MediumKind::kPing);
  m.address = std::string(host);
  p.cf.media.push_back(std::move(m));
}

void on_ping6(HaCfParser& p, std::string_view host) {
  if (!parse_ipv6(host)) {
    p.error("invalid IPv6 address [" + std::string(host) + "] for ping6",
            "expected an IPv6 address literal");
    return;
  }
  Medium m = make(p, MediumKind::kPing6);
  m.address = std::string(host);
  p.cf.media.push_back(std::move(m));
}

void on_ucast(HaCfParser& p, std::string_view rest) {
  const auto t = split_any(rest, kBlanks);
  if (t.size() < 2) {
    p.error("ucast needs an interface and a peer address", "expected `ucast IF PEER`");
    return;
  }
  if (!check_interface(p, t[0])) return;
  if (t.size() > 2) p.warn("ucast takes one peer per line; [" + t[2] + "] and what follows are ignored");
  Medium m = make(p, MediumKind::kUcast);
  m.interface = t[0];
  m.address = t[1];  // an IPv4 literal or a host name, resolved by the transport
  m.port = p.cf.udpport;
  p.udpport_media_created = true;
  p.cf.media.push_back(std::move(m));
}

void on_ucast6(HaCfParser& p, std::string_view rest) {
  const auto t = split_any(rest, kBlanks);
  if (t.size() < 2) {
    p.error("ucast6 needs an interface and a peer address", "expected `ucast6 IF PEER6[%scope]`");
    return;
  }
  if (!check_interface(p, t[0])) return;
  const std::string addr = t[1].substr(0, t[1].find('%'));
  if (!parse_ipv6(addr)) {
    p.error("invalid IPv6 address [" + t[1] + "] for ucast6",
            "expected an IPv6 literal, optionally with %scope");
    return;
  }
  Medium m = make(p, MediumKind::kUcast6);
  m.interface = t[0];
  m.address = t[1];
  m.port = p.cf.udpport;
  p.udpport_media_created = true;
  p.cf.media.push_back(std::move(m));
}

// mcast IF GROUP PORT TTL LOOP and mcast6 IF GROUP PORT HOPS LOOP.
void add_mcast(HaCfParser& p, std::string_view rest, bool v6) {
  const std::string name = v6 ? "mcast6" : "mcast";
  const std::string usage = "expected `" + name + " IF GROUP PORT " + (v6 ? "HOPS" : "TTL") + " LOOP`";
  const auto t = split_any(rest, kBlanks);
  if (t.size() < 5) {
    p.error(name + " needs 5 values, got " + std::to_string(t.size()), usage);
    return;
  }
  bool ok = check_interface(p, t[0]);
  if (v6) {
    const auto g = parse_ipv6(t[1]);
    if (!g || g->s6_addr[0] != 0xff) {
      p.error("invalid multicast group [" + t[1] + "] for mcast6", "expected an IPv6 address in ff00::/8");
      ok = false;
    }
  } else {
    const auto g = parse_ipv4(t[1]);
    if (!g || (ntohl(g->s_addr) >> 28) != 0xe) {
      p.error("invalid multicast group [" + t[1] + "] for mcast", "expected an IPv4 address in 224.0.0.0/4");
      ok = false;
    }
  }
  const auto port = parse_int(t[2], 1, 65535);
  if (!port) {
    p.error("bad port [" + t[2] + "] for " + name, "expected a UDP port from 1 to 65535");
    ok = false;
  }
  // heartbeat's mcast plugin accepts 0–4 although ha.cf(5) says 0–255 (§11).
  const auto ttl = parse_int(t[3], 0, 4);
  if (!ttl) {
    p.error(std::string(v6 ? "bad hops [" : "bad ttl [") + t[3] + "] for " + name,
            std::string("expected a ") + (v6 ? "hop count" : "TTL") + " from 0 to 4");
    ok = false;
  }
  const auto loop = parse_int(t[4], 0, 1);
  if (!loop) {
    p.error("bad loop [" + t[4] + "] for " + name, "expected 0 or 1");
    ok = false;
  }
  if (t.size() > 5) p.warn(name + ": [" + t[5] + "] and what follows are ignored");
  if (!ok) return;
  Medium m = make(p, v6 ? MediumKind::kMcast6 : MediumKind::kMcast);
  m.interface = t[0];
  m.address = t[1];
  m.port = static_cast<std::uint16_t>(*port);
  m.ttl = static_cast<int>(*ttl);
  m.loop = *loop == 1;
  p.cf.media.push_back(std::move(m));
}

void on_ping_group(HaCfParser& p, std::string_view rest) {
  const auto t = split_any(rest, kBlanks);
  if (t.size() < 2) {
    p.error("ping_group needs a name and at least one host", "expected `ping_group NAME HOST [HOST...]`");
    return;
  }
  Medium m = make(p, MediumKind::kPingGroup);
  m.group_name = t[0];
  m.hosts.assign(t.begin() + 1, t.end());
  p.cf.media.push_back(std::move(m));
}

constexpr Directive kMedia[] = {
    {"bcast", Style::kOption, on_bcast},
    {"serial", Style::kOption, on_serial},
    {"ping", Style::kOption, on_ping},
    {"ping6", Style::kOption, on_ping6},
    {"ucast", Style::kWholeLine, on_ucast},
    {"ucast6", Style::kWholeLine, on_ucast6},
    {"mcast", Style::kWholeLine, [](HaCfParser& p, std::string_view r) { add_mcast(p, r, false); }},
    {"mcast6", Style::kWholeLine, [](HaCfParser& p, std::string_view r) { add_mcast(p, r, true); }},
    {"ping_group", Style::kWholeLine, on_ping_group},
};

}  // namespace

const Directive* find_medium_directive(std::string_view name) {
  for (const Directive& d : kMedia)
    if (d.name == name) return &d;
  return nullptr;
}

}  // namespace vigil::conf::detail
