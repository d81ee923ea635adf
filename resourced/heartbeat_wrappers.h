// heartbeat 3.0.6's resource.d wrappers, built in (heartbeat-compat.md
// §3.2). heartbeat shipped /etc/ha.d/resource.d/Filesystem, MailTo, ... as
// small shell scripts that turn their positional "::" arguments into
// OCF_RESKEY_* variables and run the OCF agent of the same family from
// resource-agents (through resource.d/hto-mapfuncs, which maps `status` to
// `monitor`). The heartbeat package goes when vigil is installed; the
// agents stay (resource-agents). So a haresources line that names one of
// these wrappers resolves, when no script of that name is the user's own
// in resource.d, to the OCF agent with the parameters the wrapper would
// have set — one table entry per wrapper, each read from the wrapper.
//
// The IP wrappers (IPaddr, IPaddr2, IPv6addr) are not here: ipd manages
// those addresses itself (conf/ip_spec.h).
//
// Arguments are those heartbeat's ResourceManager passes: the "::" fields
// with the empty ones dropped (it expands them unquoted, §3.2).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "resourced/file_system.h"

namespace vigil::resourced {

using OcfParams = std::vector<std::pair<std::string, std::string>>;  // KEY, VALUE in order

struct HeartbeatWrapper {
  std::string_view name;      // the script name in resource.d
  std::string_view ocf_type;  // ocf:heartbeat:TYPE; empty: no agent to map to (see `why_not`)
  std::string_view usage;     // its arguments (the wrapper's usage line, in haresources' form)
  std::string_view sha256;    // the wrapper file heartbeat 3.0.6 installed (Debian 1:3.0.6-13)
  // Positional arguments -> parameters; null when ocf_type is empty.
  Result<OcfParams> (*map)(const std::vector<std::string>& args, const FileSystem& fs);
  std::string_view why_not;  // for an entry without agent: why it cannot be run
};

// Every wrapper heartbeat 3.0.6 shipped in resource.d except the IP ones.
const std::vector<HeartbeatWrapper>& heartbeat_wrappers();

// The entry named `name` (case-sensitive, as file names), or nullptr.
const HeartbeatWrapper* find_heartbeat_wrapper(std::string_view name);

// hto-mapfuncs, the helper every wrapper sources: its presence in resource.d
// tells a removed heartbeat package (conffiles left) from a purged one.
inline constexpr std::string_view kHtoMapfuncs = "hto-mapfuncs";

// The parameters the wrapper would set for `args`, or the error the
// wrapper would have failed with (its usage, in vigil's words).
Result<OcfParams> map_wrapper_arguments(const HeartbeatWrapper& wrapper,
                                        const std::vector<std::string>& args, const FileSystem& fs);

}  // namespace vigil::resourced
