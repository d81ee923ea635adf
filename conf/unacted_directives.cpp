// Directives of ha.cf that vigil accepts (a heartbeat peer shares the file,
// §2.4) but does not act on. Each gets exactly one warning, at the line it
// was set on, so that check-config and the start of every daemon say it
// (nothing is silently ignored). respawn/failfast say theirs where they are
// parsed (ha_cf_directives.cpp); stonith, stonith_host (conf/fence_devices.h)
// and watchdog (resourced/watchdog_device.h) are acted on.
#include <string>
#include <string_view>

#include "conf/ha_cf_parser.h"

namespace vigil::conf::detail {

namespace {

struct Unacted {
  std::string_view name;
  std::string_view why;
};

constexpr Unacted kUnacted[] = {
    {"apiauth",
     "has no effect: vigil serves no heartbeat client API (cl_status, hb_standby and vigilctl "
     "reach heartbeatd's control socket; members of the haclient group may use it)"},
    {"conn_logd_time", "has no effect: vigil has no ha_logd to reconnect to"},
    {"baud", "has no effect: vigil carries heartbeats over UDP only"},
    {"serial", "is not used: vigil carries heartbeats over UDP only (bcast, mcast, ucast)"},
    {"memreserve", "has no effect: vigil does not lock memory"},
    {"coredumps", "has no effect: core dumps are the system's (systemd-coredump, core_pattern)"},
    {"coreroot", "has no effect: core dumps are the system's (systemd-coredump, core_pattern)"},
    {"compression",
     "has no effect: vigil sends no compressed messages (heartbeat never compresses messages "
     "of v1 size either)"},
    {"compression_threshold", "has no effect: vigil sends no compressed messages"},
    {"traditional_compression", "has no effect: vigil sends no compressed messages"},
    {"msgfmt",
     "has no effect: vigil sends what heartbeat 3.0.6 sends whatever msgfmt says "
     "(heartbeat-compat.md §5.3)"},
    {"cluster", "has no effect: the cluster name is informational, as in heartbeat"},
};

// Where the log goes when ha.cf asks for heartbeat's logging daemon.
std::string logd_replacement(const HaCf& cf) {
  std::string where = "the journal (stderr when not run by systemd)";
  if (cf.logfacility && *cf.logfacility != "none") where += ", syslog facility " + *cf.logfacility;
  if (cf.logfile && *cf.logfile != "/dev/null") where += ", " + *cf.logfile;
  if (cf.debugfile && *cf.debugfile != "/dev/null") where += ", " + *cf.debugfile + " (debug)";
  return where;
}

}  // namespace

void warn_unacted_directives(HaCfParser& p) {
  for (const Unacted& u : kUnacted) {
    if (!p.was_set(u.name)) continue;
    p.diag.warn(p.file, p.line_of(u.name), std::string(u.name) + " " + std::string(u.why));
  }
  // Only when written: implied (no log line at all, §2.4 use_logd) the
  // journal is simply where a daemon logs, and no directive goes unheeded.
  if (p.was_set("use_logd") && p.cf.use_logd)
    p.diag.warn(p.file, p.line_of("use_logd"),
                "use_logd: vigil has no ha_logd; the log goes to " + logd_replacement(p.cf));
  // §2.4 hbgenmethod/uuidfrom: vigil keeps both in its state directory.
  if (p.cf.hbgenmethod != "file")
    p.diag.warn(p.file, p.line_of("hbgenmethod"),
                "hbgenmethod " + p.cf.hbgenmethod +
                    " has no effect: vigil keeps the generation in its state file, as `file` does");
  if (p.cf.uuidfrom != "file")
    p.diag.warn(p.file, p.line_of("uuidfrom"),
                "uuidfrom " + p.cf.uuidfrom +
                    " has no effect: vigil keeps the node UUID in its state file, as `file` does");
}

}  // namespace vigil::conf::detail
