#include "heartbeatd/control/permission.h"

#include <grp.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

namespace vigil::control {

bool permits(const ControlPolicy& policy, const PeerIdentity& peer, Access access) {
  if (peer.uid == 0) return true;
  if (policy.admin_gid) {
    const gid_t g = *policy.admin_gid;
    if (peer.gid == g || std::find(peer.groups.begin(), peer.groups.end(), g) != peer.groups.end())
      return true;
  }
  // heartbeatd's own user may read its status (monitoring run as that
  // user) but not move resources: that needs an administrator.
  return access == Access::kStatus && peer.uid == policy.daemon_uid;
}

Result<std::vector<gid_t>> parse_proc_groups(std::string_view text) {
  constexpr std::string_view kKey = "Groups:";
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.starts_with(kKey)) continue;
    line.remove_prefix(kKey.size());
    std::vector<gid_t> out;
    while (!line.empty()) {
      const std::size_t skip = line.find_first_not_of(" \t");
      if (skip == std::string_view::npos) break;
      line.remove_prefix(skip);
      const std::size_t len = std::min(line.find_first_of(" \t"), line.size());
      gid_t g = 0;
      auto [p, ec] = std::from_chars(line.data(), line.data() + len, g);
      if (ec != std::errc{} || p != line.data() + len)
        return Error{"malformed Groups: line in /proc status"};
      out.push_back(g);
      line.remove_prefix(len);
    }
    return out;
  }
  return Error{"no Groups: line in /proc status"};
}

std::vector<gid_t> proc_groups_for(std::string_view text, uid_t uid) {
  constexpr std::string_view kKey = "\nUid:";
  const std::size_t at = text.find(kKey);
  if (at == std::string_view::npos) return {};
  std::string_view rest = text.substr(at + kKey.size());
  const std::size_t start = rest.find_first_not_of(" \t");
  if (start == std::string_view::npos) return {};
  rest.remove_prefix(start);
  uid_t real = 0;
  auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), real);
  if (ec != std::errc{} || real != uid) return {};
  auto groups = parse_proc_groups(text);
  return groups ? std::move(*groups) : std::vector<gid_t>{};
}

PeerIdentity identify(const ipc::PeerCredentials& peer) {
  PeerIdentity id{peer.uid, peer.gid, {}};
  if (peer.pid <= 0) return id;
  std::ifstream in("/proc/" + std::to_string(peer.pid) + "/status");
  if (!in) return id;
  std::ostringstream text;
  text << in.rdbuf();
  id.groups = proc_groups_for(text.str(), peer.uid);
  return id;
}

ControlPolicy default_policy() {
  ControlPolicy p;
  p.daemon_uid = getuid();
  const std::string name(kAdminGroup);
  if (const group* g = getgrnam(name.c_str())) p.admin_gid = g->gr_gid;
  return p;
}

}  // namespace vigil::control
