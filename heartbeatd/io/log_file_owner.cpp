#include "heartbeatd/io/log_file_owner.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/unique_fd.h"

namespace vigil::io {

namespace {

constexpr mode_t kMode = 0640;

gid_t log_group(const UserIds& user) {
  if (const struct group* adm = ::getgrnam("adm")) return adm->gr_gid;
  return user.gid;
}

}  // namespace

std::vector<std::string> configured_log_files(const conf::HaCf& cf) {
  std::vector<std::string> out;
  for (const auto& f : {cf.logfile, cf.debugfile})
    if (f && *f != "/dev/null" && !f->empty() &&
        (out.empty() || out.front() != *f))  // logfile and debugfile may be one file
      out.push_back(*f);
  return out;
}

LogFilesPrepared prepare_log_files(const conf::HaCf& cf, const UserIds& user, bool unit_sandboxed) {
  LogFilesPrepared r;
  const gid_t group = log_group(user);
  for (const std::string& path : configured_log_files(cf)) {
    UniqueFd fd(::open(path.c_str(),
                       O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, kMode));
    if (!fd) {
      r.problems.push_back(
          fmt::format("log file {}: {}; heartbeatd will not write it", path, std::strerror(errno)));
      continue;
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
      r.problems.push_back(fmt::format("log file {} is not a regular file; left as it is", path));
      continue;
    }
    if ((st.st_uid != user.uid || st.st_gid != group) && ::fchown(fd.get(), user.uid, group) != 0) {
      r.problems.push_back(fmt::format("log file {}: cannot give it to {}: {}", path, user.name,
                                       std::strerror(errno)));
      continue;
    }
    if ((st.st_mode & 07777) != kMode) ::fchmod(fd.get(), kMode);
    r.done.push_back(fmt::format("log file {} belongs to {}, mode 0640", path, user.name));
    if (unit_sandboxed && !path.starts_with(kUnitWritableLogDir))
      r.problems.push_back(fmt::format(
          "log file {} is outside {}: vigil-heartbeatd.service may write only there; allow it "
          "with `systemctl edit vigil-heartbeatd` and [Service] ReadWritePaths={}",
          path, kUnitWritableLogDir, path));
  }
  return r;
}

}  // namespace vigil::io
