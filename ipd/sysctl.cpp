#include "ipd/sysctl.h"

#include <fstream>
#include <string>

namespace vigil::ipd {

namespace {

// An interface name must not walk out of /proc/sys/net/<family>/conf.
bool safe_ifname(std::string_view name) {
  return !name.empty() && name.size() < 16 && name != "." && name != ".." &&
         name.find('/') == std::string_view::npos;
}

}  // namespace

bool ipv6_forwarding(std::string_view ifname) {
  if (!safe_ifname(ifname)) return false;
  std::ifstream in("/proc/sys/net/ipv6/conf/" + std::string(ifname) + "/forwarding");
  int value = 0;
  return static_cast<bool>(in >> value) && value != 0;
}

Status enable_promote_secondaries(std::string_view ifname) {
  if (!safe_ifname(ifname)) return Error{"bad interface name"};
  const std::string path =
      "/proc/sys/net/ipv4/conf/" + std::string(ifname) + "/promote_secondaries";
  std::ofstream out(path);
  out << "1\n";
  out.flush();
  if (!out) return Error{"cannot write " + path};
  return ok_status();
}

}  // namespace vigil::ipd
