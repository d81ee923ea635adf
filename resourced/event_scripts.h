// Which rc.d event scripts resourced runs (heartbeat-compat.md §6.9), found
// by resourced itself in <config dir>/rc.d — heartbeatd only names the
// event (common/proto/cluster_event.h), never a script.
//
// heartbeat ran `harc <type>` for an event only if rc.d/<type> existed when
// it first listed the directory (the listing was cached). resourced lists
// it once at start in the same way: a script added later runs after the
// next resourced restart.
//
// Five rc.d scripts came with the heartbeat package (ask_resources,
// hb_takeover, ip-request, ip-request-resp, status). They are heartbeat's
// own v1 resource protocol written in shell (status runs mach_down,
// ip-request gives the group up through ResourceManager, hb_takeover runs
// hb_standby), which vigil's heartbeatd does itself; being conffiles,
// `apt remove heartbeat` (what installing vigil does) leaves them behind.
// Running them would do each of those steps a second time, so a file
// byte-identical to the one heartbeat 3.0.6 installed is recognised by its
// SHA-256 and not run (logged once). A file of that name that differs is
// the administrator's own and is run.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/proto/cluster_event.h"
#include "resourced/file_system.h"

namespace vigil::resourced {

struct EventScript {
  proto::ClusterEvent event = proto::ClusterEvent::kStatus;
  std::string path;  // RC_D/<event name>, an executable regular file
};

struct EventScriptSurvey {
  std::vector<EventScript> scripts;         // what runs, in event order
  std::vector<std::string> heartbeats_own;  // left unchanged by heartbeat: not run
  std::vector<std::string> not_executable;  // named like an event, but not executable
};

EventScriptSurvey survey_event_scripts(const std::string& rc_d, const FileSystem& fs);

// The script for `event`, if one runs.
std::optional<std::string> event_script_for(const EventScriptSurvey& survey,
                                            proto::ClusterEvent event);

// One line for the log and check-config, e.g. "rc.d event scripts in DIR:
// status, ifstat; heartbeat's own (not run: vigil does their work itself):
// ip-request".
std::string describe_event_scripts(const EventScriptSurvey& survey, const std::string& rc_d);

}  // namespace vigil::resourced
