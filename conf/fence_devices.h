// The STONITH devices of ha.cf (heartbeat-compat.md §2.4, §6.4) as this
// node uses them: `stonith TYPE CONFIGFILE` (parameters read by the plugin
// from the file) and `stonith_host FROMHOST|* TYPE PARAMS...` (parameters
// given in line; the line is this node's only if FROMHOST is `*` or the
// local node). Both go to cluster-glue's `stonith` command: `-F FILE` or
// `-p "PARAMS"` (stonith(8)), so a heartbeat user's lines work unchanged.
//
// Read by resourced (which runs the command) and by heartbeatd (which only
// needs to know whether a device exists and its name for the log line);
// neither ever gets the other's reading over a socket.
#pragma once

#include <string>
#include <vector>

#include "conf/config.h"

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

// The argv after the command itself: `-t TYPE -F FILE -T reset NODE` or
// `-t TYPE -p PARAMS -T reset NODE`.
std::vector<std::string> stonith_reset_arguments(const FenceDevice& device,
                                                 const std::string& node);

}  // namespace vigil::conf
