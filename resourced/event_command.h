// What an rc.d event script or the notify hook is run with. Pure: the
// callers execute the Command (heartbeat-compat.md §6.9).
//
//   argv   PATH <event name>          harc's `exec $RCDIR/$1 "$@"` with
//                                     heartbeat's one argument, the type
//   env    agent_environment() (HA_DIR, HA_FUNCS, HA_CURHOST, ...), then
//          HA_<name>=<value> for each message field, in the message's
//          order (heartbeat's setenv of every string field), then `extra`
//          (the notify hook's VIGIL_* variables)
//
// A field whose HA_<name> resourced already sets (HA_CURHOST, HA_DIR, ...)
// is refused: a peer's message must not redirect HA_FUNCS to a file of its
// choosing. Field names and values were bounded by the vocabulary
// (cluster_event.h); they are environment data, never argv or a path.
#pragma once

#include <string>
#include <vector>

#include "common/proto/cluster_event.h"
#include "common/result.h"
#include "resourced/agent_command.h"

namespace vigil::resourced {

Result<Command> event_command(const std::string& path, proto::ClusterEvent event,
                              const std::vector<proto::EventField>& fields,
                              const std::vector<std::string>& base_env,
                              const std::vector<std::string>& extra = {});

}  // namespace vigil::resourced
