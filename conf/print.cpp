#include "conf/print.h"

#include "conf/authkeys.h"
#include "conf/boolean.h"
#include "conf/ip_spec.h"
#include "conf/time_value.h"

namespace vigil::conf {

namespace {

constexpr int kDefaultBaud = 19200;

class Printer {
 public:
  void line(const std::string& directive, const std::string& value) { out_ += directive + " " + value + "\n"; }
  void optional(const std::string& directive, const std::optional<std::string>& value) {
    if (value)
      line(directive, *value);
    else
      out_ += "# " + directive + " not set\n";
  }
  void comment(const std::string& text) { out_ += "# " + text + "\n"; }
  void text(const std::string& whole_line) { out_ += whole_line + "\n"; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

const char* failback_word(AutoFailback a) {
  switch (a) {
    case AutoFailback::kOn: return "on";
    case AutoFailback::kOff: return "off";
    case AutoFailback::kLegacy: return "legacy";
  }
  return "legacy";
}

bool uses_udpport(MediumKind k) {
  return k == MediumKind::kBcast || k == MediumKind::kUcast || k == MediumKind::kUcast6;
}

std::string medium_line(const Medium& m) {
  switch (m.kind) {
    case MediumKind::kBcast: return "bcast " + m.interface;
    case MediumKind::kUcast: return "ucast " + m.interface + " " + m.address;
    case MediumKind::kUcast6: return "ucast6 " + m.interface + " " + m.address;
    case MediumKind::kMcast:
    case MediumKind::kMcast6:
      return std::string(m.kind == MediumKind::kMcast ? "mcast " : "mcast6 ") + m.interface + " " + m.address +
             " " + std::to_string(m.port) + " " + std::to_string(m.ttl) + " " + (m.loop ? "1" : "0");
    case MediumKind::kSerial: return "serial " + m.interface;
    case MediumKind::kPing: return "ping " + m.address;
    case MediumKind::kPing6: return "ping6 " + m.address;
    case MediumKind::kPingGroup: {
      std::string s = "ping_group " + m.group_name;
      for (const auto& h : m.hosts) s += " " + h;
      return s;
    }
  }
  return "";
}

// §2.6: udpport and baud are captured when a medium is created, so they
// are printed just before the media that carry them.
void print_media(Printer& p, const HaCf& cf) {
  std::uint16_t port = cf.udpport;
  for (const Medium& m : cf.media)
    if (uses_udpport(m.kind)) {
      port = m.port;
      break;
    }
  p.line("udpport", std::to_string(port));

  int baud = cf.baud;
  bool serial_differs = false;
  for (const Medium& m : cf.media)
    serial_differs = serial_differs || (m.kind == MediumKind::kSerial && m.baud != cf.baud);
  if (serial_differs) {
    baud = kDefaultBaud;  // the only way media differ: baud came after some serial
  } else {
    p.line("baud", std::to_string(cf.baud));
  }
  for (const Medium& m : cf.media) {
    if (uses_udpport(m.kind) && m.port != port) {
      port = m.port;
      p.line("udpport", std::to_string(port));
    }
    if (m.kind == MediumKind::kSerial && m.baud != baud) {
      baud = m.baud;
      p.line("baud", std::to_string(baud));
    }
    p.text(medium_line(m));
  }
  if (port != cf.udpport) p.line("udpport", std::to_string(cf.udpport));
  if (serial_differs && baud != cf.baud) p.line("baud", std::to_string(cf.baud));
}

}  // namespace

std::string print_ha_cf(const HaCf& cf) {
  Printer p;
  p.comment("logging");
  p.optional("logfile", cf.logfile);
  p.optional("debugfile", cf.debugfile);
  p.optional("logfacility", cf.logfacility);
  p.line("use_logd", format_boolean(cf.use_logd));
  p.line("conn_logd_time", format_time(cf.conn_logd_time));
  p.line("syslogmsgfmt", format_boolean(cf.syslogmsgfmt));
  p.line("log_badpack", format_boolean(cf.log_badpack));
  p.line("debug", std::to_string(cf.debug));
  p.comment("timers");
  p.line("keepalive", format_time(cf.keepalive));
  p.line("deadtime", format_time(cf.deadtime));
  p.line("warntime", format_time(cf.warntime));
  p.line("initdead", format_time(cf.initdead));
  p.line("deadping", format_time(cf.deadping));
  p.comment("media");
  print_media(p, cf);
  p.comment("nodes");
  for (const auto& n : cf.nodes) p.line("node", n);
  p.line("auto_failback", failback_word(cf.auto_failback));
  p.comment("process");
  p.line("realtime", format_boolean(cf.realtime));
  p.optional("rtprio", cf.rtprio ? std::optional(std::to_string(*cf.rtprio)) : std::nullopt);
  p.line("coredumps", format_boolean(cf.coredumps));
  p.optional("coreroot", cf.coreroot);
  p.optional("watchdog", cf.watchdog);
  p.line("hopfudge", std::to_string(cf.hopfudge));
  p.line("hbgenmethod", cf.hbgenmethod);
  p.line("uuidfrom", cf.uuidfrom);
  p.line("autojoin", cf.autojoin);
  p.line("msgfmt", cf.msgfmt);
  p.line("compression", cf.compression);
  p.line("compression_threshold", std::to_string(cf.compression_threshold));
  p.line("traditional_compression", format_boolean(cf.traditional_compression));
  p.line("max_rexmit_delay", format_time(cf.max_rexmit_delay));
  p.line("memreserve", std::to_string(cf.memreserve));
  p.line("cluster", cf.cluster);
  p.line("crm", "off");
  for (const auto& [name, value] : cf.env) p.line("env", name + "=" + value);
  for (const auto& r : cf.respawn) p.line(r.failfast ? "failfast" : "respawn", r.user + " " + r.command);
  for (const auto& a : cf.apiauth) p.line("apiauth", a);
  for (const auto& s : cf.stonith) p.line("stonith", s);
  for (const auto& s : cf.stonith_host) p.line("stonith_host", s);
  return p.take();
}

std::string print_haresources(const std::vector<ResourceGroup>& groups) {
  std::string out;
  for (const ResourceGroup& g : groups) {
    out += g.node;
    for (const Resource& r : g.resources) out += " " + r.text;
    out += "\n";
  }
  if (groups.empty()) out += "# no resource groups\n";
  return out;
}

std::string print_authkeys(const AuthKeys& keys) {
  std::string out = "# auth " + std::to_string(keys.active_id);
  if (const AuthKey* k = keys.find(keys.active_id)) out += " (" + std::string(auth_method_name(k->method)) + ")";
  out += "\n";
  for (const AuthKey& k : keys.keys) out += "# key " + std::to_string(k.id) + " " + std::string(auth_method_name(k.method)) + "\n";
  return out;
}

std::string print_config(const Config& c) {
  std::string out = "# vigil configuration, normalised\n";
  out += "# local node: " + c.local_node + "\n";
  out += "# config hash: " + c.hash + "\n";
  out += kHaCfSection + print_ha_cf(c.ha_cf);
  out += kHaresourcesSection + print_haresources(c.groups);
  out += kAuthkeysSection + print_authkeys(c.authkeys);
  return out;
}

}  // namespace vigil::conf
