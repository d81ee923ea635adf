// heartbeat wrote ha.cf's `logfile`/`debugfile` as root, wherever they
// pointed (heartbeat-compat.md §2.7); heartbeatd runs as hacluster and
// cannot create a file in root's /var/log, nor write one heartbeat left
// there owned by root. So a privileged step hands those files to
// heartbeatd's user before it starts, and heartbeatd stays unprivileged:
//
// - under systemd: `ExecStartPre=+heartbeatd --prepare-log-files`
//   (vigil-heartbeatd.service; "+" runs it as root outside the sandbox);
// - started by hand as root: heartbeatd does it itself before it drops to
//   its user (heartbeatd_main.cpp).
//
// Each file (not /dev/null) is created if missing, without following a
// symbolic link, and made USER:adm 0640 (the group of /var/log's readers on
// Debian and Fedora; USER's own group where there is no adm), as
// tmpfiles.d/vigil.conf makes the default /var/log/ha-log. Only a regular
// file is touched. A missing directory is not created: heartbeat did not
// either. The unit lets heartbeatd write under /var/log only
// (ReadWritePaths=); a file elsewhere gets a warning naming the drop-in
// that allows it.
#pragma once

#include <string>
#include <vector>

#include "conf/config.h"
#include "heartbeatd/io/privilege.h"

namespace vigil::io {

inline constexpr std::string_view kUnitWritableLogDir = "/var/log/";

struct LogFilesPrepared {
  std::vector<std::string> done;      // "ha.cf logfile /var/log/ha.log: ..."
  std::vector<std::string> problems;  // one line each, what and what to do
};

// The ha.cf logfile and debugfile that name a file (not /dev/null).
std::vector<std::string> configured_log_files(const conf::HaCf& cf);

// Must run as root. `unit_sandboxed`: heartbeatd will run in its unit's
// sandbox (say so for files outside kUnitWritableLogDir).
LogFilesPrepared prepare_log_files(const conf::HaCf& cf, const UserIds& user, bool unit_sandboxed);

}  // namespace vigil::io
