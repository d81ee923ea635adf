#include "conf/compare.h"

#include <tuple>

namespace vigil::conf {

namespace {

template <typename T, typename Eq>
bool all_equivalent(const std::vector<T>& a, const std::vector<T>& b, Eq eq) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!eq(a[i], b[i])) return false;
  return true;
}

bool same_ip(const std::optional<IpSpec>& a, const std::optional<IpSpec>& b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a) return true;
  return std::tie(a->address, a->ipv6, a->cidr_bits, a->nic, a->label, a->broadcast) ==
         std::tie(b->address, b->ipv6, b->cidr_bits, b->nic, b->label, b->broadcast);
}

}  // namespace

bool equivalent(const Medium& a, const Medium& b) {
  return std::tie(a.kind, a.interface, a.address, a.port, a.ttl, a.loop, a.group_name, a.hosts, a.baud) ==
         std::tie(b.kind, b.interface, b.address, b.port, b.ttl, b.loop, b.group_name, b.hosts, b.baud);
}

bool equivalent(const HaCf& a, const HaCf& b) {
  const auto clients_eq = [](const RespawnClient& x, const RespawnClient& y) {
    return std::tie(x.user, x.command, x.failfast) == std::tie(y.user, y.command, y.failfast);
  };
  const auto media_eq = [](const Medium& x, const Medium& y) { return equivalent(x, y); };
  return std::tie(a.keepalive, a.deadtime, a.warntime, a.initdead, a.deadping, a.udpport, a.nodes,
                  a.auto_failback, a.logfile, a.debugfile, a.logfacility, a.use_logd, a.syslogmsgfmt,
                  a.log_badpack, a.debug, a.hopfudge, a.baud, a.conn_logd_time, a.max_rexmit_delay,
                  a.realtime, a.rtprio, a.coredumps, a.coreroot, a.hbgenmethod, a.uuidfrom, a.autojoin,
                  a.msgfmt, a.compression, a.compression_threshold, a.traditional_compression,
                  a.memreserve, a.cluster, a.watchdog, a.env, a.apiauth, a.stonith, a.stonith_host,
                  a.crm) ==
             std::tie(b.keepalive, b.deadtime, b.warntime, b.initdead, b.deadping, b.udpport, b.nodes,
                      b.auto_failback, b.logfile, b.debugfile, b.logfacility, b.use_logd, b.syslogmsgfmt,
                      b.log_badpack, b.debug, b.hopfudge, b.baud, b.conn_logd_time, b.max_rexmit_delay,
                      b.realtime, b.rtprio, b.coredumps, b.coreroot, b.hbgenmethod, b.uuidfrom, b.autojoin,
                      b.msgfmt, b.compression, b.compression_threshold, b.traditional_compression,
                      b.memreserve, b.cluster, b.watchdog, b.env, b.apiauth, b.stonith, b.stonith_host,
                      b.crm) &&
         all_equivalent(a.media, b.media, media_eq) && all_equivalent(a.respawn, b.respawn, clients_eq);
}

bool equivalent(const ResourceGroup& a, const ResourceGroup& b) {
  return a.node == b.node && all_equivalent(a.resources, b.resources, [](const Resource& x, const Resource& y) {
           return std::tie(x.kind, x.text, x.name, x.args) == std::tie(y.kind, y.text, y.name, y.args) &&
                  same_ip(x.ip, y.ip);
         });
}

bool equivalent(const std::vector<ResourceGroup>& a, const std::vector<ResourceGroup>& b) {
  return all_equivalent(a, b, [](const ResourceGroup& x, const ResourceGroup& y) { return equivalent(x, y); });
}

bool equivalent(const AuthKeys& a, const AuthKeys& b) {
  return a.active_id == b.active_id && all_equivalent(a.keys, b.keys, [](const AuthKey& x, const AuthKey& y) {
           return x.id == y.id && x.method == y.method && x.key.equals(y.key);
         });
}

bool equivalent(const Config& a, const Config& b) {
  return std::tie(a.paths.config_dir, a.paths.runtime_dir, a.paths.state_dir, a.local_node, a.hash) ==
             std::tie(b.paths.config_dir, b.paths.runtime_dir, b.paths.state_dir, b.local_node, b.hash) &&
         equivalent(a.ha_cf, b.ha_cf) && equivalent(a.groups, b.groups) && equivalent(a.authkeys, b.authkeys);
}

}  // namespace vigil::conf
