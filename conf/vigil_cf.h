// /etc/ha.d/vigil.cf: the settings only vigil understands. They cannot go
// in ha.cf, because a heartbeat peer reading the same ha.cf refuses any
// directive it does not know (heartbeat-compat.md §2.5); no heartbeat ever
// reads this file. The file is optional: without it every setting has its
// default. Man page: vigil-vigil.cf(5).
//
// Syntax, as ha.cf's (§2.1): one `directive value` per line, blanks between,
// `#` to the end of the line is a comment, blank lines ignored. Every
// directive is in ONE table (kVigilCfDirectives in vigil_cf.cpp): a later
// setting is one row there, one member here, one paragraph of the man page.
// An unknown directive, a missing or malformed value, or a directive given
// twice is an error naming FILE:LINE, and what was expected. A repeatable
// row (fence_agent) takes several words and may be given on many lines.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conf/diagnostics.h"
#include "conf/fence_agent.h"

namespace vigil::conf {

struct VigilCf {
  bool present = false;  // the file exists (else: all defaults)

  // notify_hook NAME: the program resourced runs for every cluster event,
  // CONFIG_DIR/notify.d/NAME (resourced/notify_delivery.h). NAME is a file
  // name, never a path or a command line, so only root, who writes
  // notify.d, chooses what runs.
  std::optional<std::string> notify_hook;
  // notify_timeout TIME: one delivery's time limit; past it the hook's
  // process group is killed and the delivery counts as failed.
  std::chrono::milliseconds notify_timeout{30000};
  // notify_retry_max TIME: the longest wait between two attempts of a
  // failing delivery (the wait doubles from 1 s up to this).
  std::chrono::milliseconds notify_retry_max{60000};
  // rc_script_timeout TIME: an rc.d event script's time limit
  // (resourced/event_script_runner.h).
  std::chrono::milliseconds rc_script_timeout{120000};

  // ---- issue 14: announcement ----
  // garp_refresh TIME: announce every held virtual IP again (gratuitous ARP
  // / unsolicited NA) at this period, for switches and clients that forget
  // (keepalived's garp_master_refresh). 0 (the default): never.
  std::chrono::milliseconds garp_refresh{0};
  // garp_refresh_repeat N: rounds per refresh (1-100), each round what the
  // address's agent sends per round (ARP request + reply, or one NA), at
  // the agent's interval.
  int garp_refresh_repeat = 1;

  // ---- issue 14: heavy loss ----
  // status_copies auto|N: identical copies of each status message sent
  // back to back (heartbeatd/core/status_copies.h); 0 = auto (the fewest
  // that make a false death need 12 losses in a row), 1 = heartbeat's one.
  int status_copies = 0;

  // ---- issue 16: resource health ----
  // Off by default: a configuration migrated unchanged from heartbeat
  // checks, restarts and moves nothing (heartbeat v1 watched nodes only).
  // health_check on|off: check every non-IP resource of the groups this
  // node holds (OCF monitor, LSB/heartbeat script status, systemd unit
  // state), through resourced (resourced_messages.h, TaskKind::kMonitor).
  bool health_check = false;
  // health_interval TIME: from the end of one check to the next (>= 1 s).
  std::chrono::milliseconds health_interval{10000};
  // health_timeout TIME: one check's limit; past it the check's process
  // group is killed and the check counts as failed.
  std::chrono::milliseconds health_timeout{20000};
  // health_start_grace TIME: no check of a group for this long after it
  // was started here (a service still coming up is not a failure).
  std::chrono::milliseconds health_start_grace{10000};
  // health_fall N: consecutive failed checks that confirm a failure.
  int health_fall = 2;
  // health_max_failures N: confirmed failures within health_failure_window
  // after which the group is given to the peer instead of restarted.
  int health_max_failures = 3;
  // health_failure_window TIME: a confirmed failure older than this no
  // longer counts (failures decay; Pacemaker's failure-timeout, which
  // defaults to never, is field-notes-2 §4's complaint).
  std::chrono::milliseconds health_failure_window{600000};
  // health_hold TIME: a group given up for failures is not taken back by
  // this node before this long (0: until `vigilctl cleanup`).
  std::chrono::milliseconds health_hold{0};
  // health_exclude NAME[,NAME...]: resources (as written in haresources,
  // or their script name) never checked: the per-resource "off".
  std::vector<std::string> health_exclude;
  // health_timeout_for NAME=TIME[,NAME=TIME...]: per-resource check
  // timeouts overriding health_timeout.
  std::vector<std::pair<std::string, std::chrono::milliseconds>> health_timeout_for;

  // ---- issue 13: ipfail ----
  // ipfail on|off: run heartbeat's ipfail algorithm (heartbeat-compat.md
  // §8.2, heartbeatd/engine/ipfail.h) without a `respawn ... ipfail` line
  // in ha.cf. Either one turns it on; `off` here does not override the
  // respawn line (a heartbeat peer reads the same ha.cf and runs ipfail).
  bool ipfail = false;

  // ---- issue 14: fence-agents ----
  // fence_agent NODE AGENT [KEY=VALUE...] (repeatable, conf/fence_agent.h):
  // fence NODE with Debian's fence-agents. For a node with such lines they
  // are tried in order and ha.cf's stonith devices are not used for it
  // (conf/fence_devices.h); the nodes are checked against ha.cf at load.
  std::vector<FenceAgent> fence_agents;
  // ---- issue 18: corosync ----
  // membership heartbeat|corosync: where heartbeatd takes membership from.
  // `heartbeat` (the default) is its own UDP heartbeats on ha.cf's media;
  // `corosync` is corosync's closed process group (CPG) for membership,
  // node up/down and message delivery, and corosync's quorum API for
  // quorum: ha.cf's media lines are then not opened, and no group is
  // acquired or kept without quorum (heartbeatd/io/corosync_link.h).
  enum class Membership { kHeartbeat, kCorosync };
  Membership membership = Membership::kHeartbeat;
  // corosync_group NAME: the CPG group heartbeatd joins (every node of the
  // cluster the same; a second vigil cluster on one corosync ring takes
  // another name).
  std::string corosync_group = "vigil";
};

// The check timeout of resource `text` (its haresources token) / `name`
// (its script name): its health_timeout_for entry, else health_timeout.
std::chrono::milliseconds health_timeout_of(const VigilCf& cf, std::string_view text,
                                            std::string_view name);
// Whether `text`/`name` is listed in health_exclude.
bool health_excluded(const VigilCf& cf, std::string_view text, std::string_view name);

// The file name inside the configuration directory.
inline constexpr std::string_view kVigilCfName = "vigil.cf";

// Parses the text of vigil.cf; errors and warnings go to `diag` with `file`.
VigilCf parse_vigil_cf(std::string_view text, const std::string& file, Diagnostics& diag);

// Every directive with its effective value, one per line, in table order,
// under a "# ---- vigil.cf ----" header (vigilctl check-config).
std::string print_vigil_cf(const VigilCf& cf);

// The directive names, in table order (documentation and tests).
std::vector<std::string> vigil_cf_directives();

}  // namespace vigil::conf
