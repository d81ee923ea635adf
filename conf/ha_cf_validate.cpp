// Derived values of §2.4 and the checks of §2.5 that ha.cf alone decides,
// applied once every line has been read (values given later in the file
// count as much as earlier ones, as in heartbeat's init_config).
#include <algorithm>
#include <string>

#include "conf/ha_cf_parser.h"
#include "conf/time_value.h"

namespace vigil::conf::detail {

namespace {

// heartbeat's limit, ping nodes included (§2.4 node).
constexpr std::size_t kMaxNodes = 100;

// The line an error about a value points at: where it was set, else where
// the value it was derived from was set, else the end of the file.
int line_for(const HaCfParser& p, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names)
    if (int l = p.line_of(n); l != 0) return l;
  return p.last_line;
}

void derive_timers(HaCfParser& p) {
  HaCf& cf = p.cf;
  if (!p.was_set("warntime")) cf.warntime = cf.deadtime / 2;
  if (!p.was_set("initdead")) {
    // §2.4 initdead: heartbeat's own rule when the admin gave none.
    if (cf.deadtime > Millis(10'000))
      cf.initdead = cf.deadtime;
    else if (cf.deadtime < Millis(6'000))
      cf.initdead = Millis(12'000);
    else
      cf.initdead = 2 * cf.deadtime;
  }
  if (!p.was_set("deadping")) cf.deadping = cf.deadtime;
}

void derive_logging(HaCfParser& p) {
  HaCf& cf = p.cf;
  const bool any_log = cf.logfile || cf.debugfile || cf.logfacility;
  if (!p.was_set("use_logd")) cf.use_logd = !any_log;
  if (!cf.use_logd && !any_log)
    p.diag.error(p.file, p.line_of("use_logd"), "No log entry found in ha.cf and use_logd is set to off",
                 "expected a logfile, debugfile or logfacility line, or use_logd on");
  // With a syslog facility, unset log files mean "no file" (§2.4 logfacility).
  if (cf.logfacility && *cf.logfacility != "none") {
    if (!cf.logfile) cf.logfile = "/dev/null";
    if (!cf.debugfile) cf.debugfile = "/dev/null";
  }
}

void check_timers(HaCfParser& p) {
  const HaCf& cf = p.cf;
  const std::string ka = format_time(cf.keepalive);
  const bool deadtime_too_small = cf.deadtime <= 2 * cf.keepalive;
  if (deadtime_too_small)
    p.diag.error(p.file, line_for(p, {"deadtime", "keepalive"}),
                 "Dead time [" + format_time(cf.deadtime) + "] is too small compared to keepalive [" + ka + "]",
                 "expected deadtime greater than 2 x keepalive");
  if (cf.initdead < cf.deadtime)
    p.diag.error(p.file, line_for(p, {"initdead", "deadtime"}),
                 "Initial dead time [" + format_time(cf.initdead) + "] is smaller than deadtime [" +
                     format_time(cf.deadtime) + "]",
                 "expected initdead of at least deadtime");
  // A deadping derived from a deadtime already reported would repeat it.
  if (cf.deadping <= 2 * cf.keepalive && (p.was_set("deadping") || !deadtime_too_small))
    p.diag.error(p.file, line_for(p, {"deadping", "deadtime", "keepalive"}),
                 "Dead ping [" + format_time(cf.deadping) + "] is too small compared to keepalive [" + ka + "]",
                 "expected deadping greater than 2 x keepalive");
  if (cf.initdead < Millis(10'000))
    p.diag.warn(p.file, line_for(p, {"initdead", "deadtime"}),
                "Initial dead time [" + format_time(cf.initdead) + "] may be too small!");
  if (cf.warntime >= cf.deadtime)
    p.diag.warn(p.file, line_for(p, {"warntime"}),
                "warntime [" + format_time(cf.warntime) + "] is not below deadtime [" +
                    format_time(cf.deadtime) + "]: no late heartbeat will ever be reported");
}

void check_membership(HaCfParser& p) {
  const HaCf& cf = p.cf;
  bool has_comm = false;
  std::size_t ping_nodes = 0;
  for (const Medium& m : cf.media) {
    switch (m.kind) {
      case MediumKind::kPing:
      case MediumKind::kPing6:
      case MediumKind::kPingGroup: {
        ++ping_nodes;
        // §8.1: a ping node is not a cluster node; both would share one
        // entry in the membership table.
        const std::string& name = m.kind == MediumKind::kPingGroup ? m.group_name : m.address;
        if (std::find(cf.nodes.begin(), cf.nodes.end(), name) != cf.nodes.end())
          p.diag.error(p.file, m.line, "ping node [" + name + "] is also a cluster node",
                       "expected a ping address or ping_group name that no `node` line names");
        break;
      }
      case MediumKind::kSerial:
        break;  // parsed, but vigil carries no heartbeats over it
      default:
        has_comm = true;
    }
  }
  if (!has_comm)
    p.diag.error(p.file, p.last_line, "No heartbeat media defined",
                 "expected at least one bcast, mcast, ucast, mcast6 or ucast6 line");
  if (cf.nodes.empty() && cf.autojoin != "any")
    p.diag.error(p.file, p.last_line, "no nodes defined", "expected a `node NAME` line for every cluster member");
  if (cf.nodes.size() + ping_nodes > kMaxNodes)
    p.diag.error(p.file, p.last_line,
                 "too many nodes: " + std::to_string(cf.nodes.size() + ping_nodes) + " including ping nodes",
                 "expected at most " + std::to_string(kMaxNodes));
  // vigil always manages haresources (heartbeat's v1 / R1 mode).
  if (cf.autojoin != "none")
    p.diag.error(p.file, p.line_of("autojoin"),
                 "R1 style resource management conflicts with autojoin set",
                 "expected autojoin none (vigil manages haresources, heartbeat v1 style)");
  if (cf.auto_failback == AutoFailback::kLegacy) {
    const int line = line_for(p, {"auto_failback", "nice_failback"});
    const int at = p.was_set("auto_failback") || p.was_set("nice_failback") ? line : 0;
    p.diag.warn(p.file, at, "Deprecated 'legacy' auto_failback option selected.");
    p.diag.warn(p.file, at, "Please convert to 'auto_failback on'.");
    p.diag.warn(p.file, at, "See documentation for conversion details.");
  }
}

}  // namespace

void finish_ha_cf(HaCfParser& p) {
  derive_timers(p);
  derive_logging(p);
  check_timers(p);
  check_membership(p);
  warn_unacted_directives(p);
}

}  // namespace vigil::conf::detail
