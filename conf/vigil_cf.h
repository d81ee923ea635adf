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
// twice is an error naming FILE:LINE, and what was expected.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conf/diagnostics.h"

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
};

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
