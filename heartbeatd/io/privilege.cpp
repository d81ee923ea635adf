#include "heartbeatd/io/privilege.h"

#include <grp.h>
#include <pwd.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "common/log.h"

namespace vigil::io {
namespace {

Error os_error(std::string_view what) {
  return Error{fmt::format("{}: {}", what, std::strerror(errno))};
}

std::optional<std::uint64_t> hex_field(std::string_view text, std::string_view key) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.size() <= key.size() || line.substr(0, key.size()) != key || line[key.size()] != ':')
      continue;
    line.remove_prefix(key.size() + 1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    std::uint64_t value = 0;
    auto [p, ec] = std::from_chars(line.data(), line.data() + line.size(), value, 16);
    if (ec != std::errc() || line.empty()) return std::nullopt;
    while (p < line.data() + line.size() && (*p == ' ' || *p == '\t' || *p == '\r')) ++p;
    if (p != line.data() + line.size()) return std::nullopt;
    return value;
  }
  return std::nullopt;
}

}  // namespace

Result<UserIds> lookup_user(const std::string& name) {
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  const int rc = getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &found);
  if (rc != 0)
    return Error{fmt::format("cannot look up user [{}]: {}", name, std::strerror(rc))};
  if (found == nullptr)
    return Error{fmt::format(
        "user [{}] does not exist: create it (useradd --system {}) or name another with --user",
        name, name)};
  if (pw.pw_uid == 0)
    return Error{fmt::format("user [{}] is root (uid 0): heartbeatd must not run as root", name)};
  return UserIds{name, pw.pw_uid, pw.pw_gid};
}

Result<CapabilitySets> parse_capabilities(std::string_view proc_status) {
  CapabilitySets c;
  struct {
    std::string_view key;
    std::uint64_t* into;
  } fields[] = {{"CapInh", &c.inheritable}, {"CapPrm", &c.permitted}, {"CapEff", &c.effective},
                {"CapBnd", &c.bounding},    {"CapAmb", &c.ambient}};
  for (auto& f : fields) {
    auto v = hex_field(proc_status, f.key);
    if (!v) return Error{fmt::format("/proc status: no valid {} field", f.key)};
    *f.into = *v;
  }
  return c;
}

Result<CapabilitySets> own_capabilities() {
  std::ifstream in("/proc/self/status");
  if (!in) return Error{"cannot read /proc/self/status"};
  std::ostringstream text;
  text << in.rdbuf();
  return parse_capabilities(text.str());
}

Status drop_all_capabilities() {
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0)
    return os_error("PR_CAP_AMBIENT_CLEAR_ALL");
  cap_t none = cap_init();  // every set empty
  if (none == nullptr) return os_error("cap_init");
  const int rc = cap_set_proc(none);
  const int saved = errno;
  cap_free(none);
  if (rc != 0) {
    errno = saved;
    return os_error("cap_set_proc");
  }
  // Nothing exec'd later may gain privileges (setuid binaries, file caps).
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return os_error("PR_SET_NO_NEW_PRIVS");
  auto caps = own_capabilities();
  if (!caps) return caps.error();
  if (caps->effective != 0 || caps->permitted != 0 || caps->ambient != 0 || caps->inheritable != 0)
    return Error{fmt::format("capabilities remain after dropping them: CapEff={:016x} CapPrm={:016x}",
                             caps->effective, caps->permitted)};
  return ok_status();
}

Status become_user(const UserIds& user) {
  if (geteuid() != 0) return Error{"become_user needs root"};
  // While we still hold CAP_SETPCAP: nothing this process ever execs can
  // regain a capability, even through a setuid-root binary.
  for (cap_value_t c = 0; c <= CAP_LAST_CAP; ++c)
    if (CAP_IS_SUPPORTED(c) && cap_drop_bound(c) != 0)
      return os_error(fmt::format("dropping capability {} from the bounding set", c));
  if (initgroups(user.name.c_str(), user.gid) != 0)
    return os_error(fmt::format("initgroups {}", user.name));
  if (setresgid(user.gid, user.gid, user.gid) != 0)
    return os_error(fmt::format("setresgid {}", user.gid));
  if (setresuid(user.uid, user.uid, user.uid) != 0)
    return os_error(fmt::format("setresuid {}", user.uid));
  if (setuid(0) == 0 || geteuid() == 0)
    return Error{"still able to become root after dropping to " + user.name};
  return drop_all_capabilities();
}

Status drop_privileges(const std::string& user_name) {
  const std::string name = user_name.empty() ? std::string(kDefaultUser) : user_name;
  if (geteuid() == 0) {
    auto user = lookup_user(name);
    if (!user) return user.error();
    if (auto s = become_user(*user); !s) return s;
    log::info(fmt::format("running as user {} (uid {}, gid {}) without capabilities", user->name,
                          user->uid, user->gid));
    return ok_status();
  }
  if (!user_name.empty()) {
    auto user = lookup_user(user_name);
    if (!user) return user.error();
    if (user->uid != geteuid())
      return Error{fmt::format("--user {}: only root can change user; started as uid {}",
                               user_name, geteuid())};
  }
  if (auto s = drop_all_capabilities(); !s) return s;
  log::info(fmt::format("running as uid {} without capabilities", geteuid()));
  return ok_status();
}

}  // namespace vigil::io
