// Which node this is (heartbeat-compat.md §1, §2.4 node): --node-name if
// given, else the first line of CONFIG_DIR/nodeinfo, else `uname -n`;
// always lower-cased, as ha.cf node names are.
#pragma once

#include <optional>
#include <string>

#include "common/result.h"

namespace vigil::conf {

struct LocalNodeName {
  std::string name;    // lower-cased
  std::string source;  // for messages: "--node-name", "<dir>/nodeinfo", "uname -n"
};

Result<LocalNodeName> local_node_name(const std::optional<std::string>& given,
                                      const std::string& config_dir);

}  // namespace vigil::conf
