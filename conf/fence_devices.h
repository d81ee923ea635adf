// The STONITH devices of ha.cf (heartbeat-compat.md §2.4, §6.4) as this
// node uses them: `stonith TYPE CONFIGFILE` (parameters read by the plugin
// from the file) and `stonith_host FROMHOST|* TYPE PARAMS...` (parameters
// given in line; the line is this node's only if FROMHOST is `*` or the
// local node). Both go to cluster-glue's `stonith` command: `-F FILE` or
// `-p "PARAMS"` (stonith(8)), so a heartbeat user's lines work unchanged.
//
// vigil.cf's fence_agent lines (conf/fence_agent.h, issue 14) are the
// second way: Debian's fence-agents. For a node named by fence_agent lines
// those lines are what fences it, and ha.cf's devices are not used for it
// (a warning at load says so when both exist): the vigil-only line is the
// more specific one, as it names its target, while a stonith device names
// none (its plugin's host list decides). Nodes without fence_agent lines
// still use ha.cf's devices, so a heartbeat user's lines keep working.
//
// Read by resourced (which runs the command) and by heartbeatd (which only
// needs to know whether a device exists and its name for the log line);
// neither ever gets the other's reading over a socket.
#pragma once

#include <string>
#include <vector>

#include "conf/config.h"
#include "conf/diagnostics.h"
#include "conf/fence_agent.h"

namespace vigil::conf {

struct FenceDevice {
  std::string type;  // the plugin, e.g. external/ipmi
  enum class Params { kFile, kInline } params = Params::kInline;
  std::string argument;  // the config file (kFile) or the parameter text (kInline)
  bool operator==(const FenceDevice&) const = default;
};

// This node's devices, in the order they are tried: `stonith` lines, then
// the `stonith_host` lines that apply to `config.local_node`.
std::vector<FenceDevice> fence_devices(const Config& config);

// vigil.cf's fence_agent lines for `node`, in order (empty: the node is
// fenced with fence_devices(), if any).
std::vector<FenceAgent> fence_agents_for(const Config& config, const std::string& node);

// The name of what fences `node` first from this node ("fence_ipmilan",
// "external/ipmi"), or "" when nothing does (no fencing before takeover).
std::string first_fence_method(const Config& config, const std::string& node);

// Whether any other node of ha.cf can be fenced from this node.
bool fences_any_peer(const Config& config);

// At load, once ha.cf and vigil.cf are both read: every fence_agent line
// names a node of ha.cf (an error naming vigil.cf:LINE otherwise), and a
// warning for each node whose fence_agent lines take the place of this
// node's ha.cf stonith devices.
void check_fence_agents(const Config& config, const std::string& vigil_cf_file, Diagnostics& diag);

// The argv after the command itself: `-t TYPE -F FILE -T reset NODE` or
// `-t TYPE -p PARAMS -T reset NODE`.
std::vector<std::string> stonith_reset_arguments(const FenceDevice& device,
                                                 const std::string& node);

}  // namespace vigil::conf
