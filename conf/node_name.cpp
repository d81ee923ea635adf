#include "conf/node_name.h"

#include <sys/utsname.h>

#include <fstream>

#include "conf/text.h"

namespace vigil::conf {

Result<LocalNodeName> local_node_name(const std::optional<std::string>& given,
                                      const std::string& config_dir) {
  if (given) {
    const std::string name = lower(trim(*given));
    if (name.empty()) return Error{"--node-name: empty name; expected this node's name as in ha.cf"};
    return LocalNodeName{name, "--node-name"};
  }
  const std::string nodeinfo = config_dir + "/nodeinfo";
  if (std::ifstream in(nodeinfo); in) {
    std::string first;
    std::getline(in, first);
    if (const std::string name = lower(trim(first)); !name.empty()) return LocalNodeName{name, nodeinfo};
  }
  utsname u{};
  if (::uname(&u) != 0) return Error{"uname failed; expected --node-name NAME or a nodeinfo file"};
  return LocalNodeName{lower(u.nodename), "uname -n"};
}

}  // namespace vigil::conf
