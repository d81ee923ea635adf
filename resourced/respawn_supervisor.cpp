#include "resourced/respawn_supervisor.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "common/clock.h"
#include "common/log.h"
#include "conf/respawn_role.h"
#include "resourced/agent_environment.h"
#include "resourced/agent_process.h"

namespace vigil::resourced {

struct RespawnSupervisor::Client {
  Client(EventLoop& loop, const conf::RespawnClient& line)
      : entry(line), kill_timer(loop, [this] {
          if (pid > 0) ::kill(-pid, SIGKILL);
        }) {}

  const conf::RespawnClient& entry;
  bool runnable = false;
  bool wanted = false;  // heartbeatd asked for it and nothing stopped it since
  pid_t pid = -1;       // also its process group and session
  UniqueFd pidfd;
  std::unique_ptr<IoWatcher> exit_watch;
  MonoTime started{};
  RespawnPolicy policy;
  Timer kill_timer;  // SIGKILL when SIGTERM was not enough
};

namespace {

const log::Fields kRespawnFields = {{"VIGIL_EVENT", "respawn"}, {"VIGIL_DAEMON", "resourced"}};

struct Identity {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;
};

Result<Identity> identity_of(const std::string& user) {
  struct passwd* pw = ::getpwnam(user.c_str());
  if (pw == nullptr) return Error{fmt::format("unknown user [{}]", user)};
  Identity id{pw->pw_uid, pw->pw_gid, {}};
  int n = 32;
  for (int attempt = 0; attempt < 4; ++attempt) {
    id.groups.resize(static_cast<std::size_t>(n));
    int count = n;
    if (::getgrouplist(user.c_str(), pw->pw_gid, id.groups.data(), &count) >= 0) {
      id.groups.resize(static_cast<std::size_t>(count));
      return id;
    }
    n = count > n ? count : n * 2;
  }
  return Error{fmt::format("too many groups for user [{}]", user)};
}

std::vector<char*> c_strings(std::vector<std::string>& v) {
  std::vector<char*> out;
  for (std::string& s : v) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Async-signal-safe only (agent_process.cpp's rule).
[[noreturn]] void exec_client(const Identity& id, pid_t parent, char* const argv[],
                              char* const envp[], int null_fd) {
  prepare_exec_child(null_fd, null_fd, null_fd);
  if (setgroups(id.groups.size(), id.groups.data()) != 0 || setgid(id.gid) != 0 ||
      setuid(id.uid) != 0)
    _exit(127);
  // After setuid: a change of credentials clears the parent-death signal.
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != parent) _exit(127);  // resourced died before the line above
  if (chdir("/") != 0) _exit(127);
  umask(022);
  execve("/bin/sh", argv, envp);
  _exit(127);
}

}  // namespace

RespawnSupervisor::RespawnSupervisor(EventLoop& loop, const conf::Config& config)
    : loop_(loop), config_(config), env_(agent_environment(config)) {
  for (const conf::RespawnClient& line : config.ha_cf.respawn) {
    clients_.push_back(std::make_unique<Client>(loop, line));
    clients_.back()->runnable = conf::respawn_role(line.command) == conf::RespawnRole::kProgram;
  }
}

RespawnSupervisor::~RespawnSupervisor() {
  stop_all("resourced is exiting");
  // Give them a moment to end on SIGTERM; the loop no longer runs, so wait
  // here, then make sure.
  const MonoTime until = MonoClock::now() + std::chrono::seconds(2);
  for (auto& c : clients_) {
    if (c->pid <= 0) continue;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(until - MonoClock::now()).count();
    pollfd pfd{c->pidfd.get(), POLLIN, 0};
    if (left <= 0 || ::poll(&pfd, 1, static_cast<int>(left)) <= 0) ::kill(-c->pid, SIGKILL);
    siginfo_t info{};
    ::waitid(P_PIDFD, static_cast<id_t>(c->pidfd.get()), &info, WEXITED);
  }
}

std::string RespawnSupervisor::violation(std::uint16_t index) const {
  if (index >= clients_.size())
    return fmt::format("respawn entry {} is not in ha.cf ({} respawn lines)", index,
                       clients_.size());
  if (!clients_[index]->runnable)
    return fmt::format("respawn entry {} (ha.cf line {}) is not run by vigil", index,
                       clients_[index]->entry.line);
  return {};
}

bool RespawnSupervisor::running(std::uint16_t index) const {
  return index < clients_.size() && clients_[index]->pid > 0;
}

Status RespawnSupervisor::start(std::uint16_t index) {
  if (std::string why = violation(index); !why.empty()) return Error{why};
  Client& c = *clients_[index];
  c.wanted = true;
  if (c.pid > 0) return {};
  c.policy.reset();
  return spawn(c);
}

Status RespawnSupervisor::spawn(Client& c) {
  auto id = identity_of(c.entry.user);
  if (!id) {
    log::error(
        fmt::format("Cannot start child client \"{}\": {}", c.entry.command, id.error().message),
        kRespawnFields);
    c.wanted = false;
    return id.error();
  }
  std::vector<std::string> args = {"sh", "-c", "exec " + c.entry.command};
  std::vector<char*> argv = c_strings(args);
  std::vector<char*> envp = c_strings(env_);
  UniqueFd null_fd(::open("/dev/null", O_RDWR | O_CLOEXEC));
  if (!null_fd) return Error{fmt::format("/dev/null: {}", std::strerror(errno))};
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return Error{fmt::format("fork: {}", std::strerror(errno))};
  if (pid == 0) exec_client(*id, parent, argv.data(), envp.data(), null_fd.get());
  c.pid = pid;
  c.pidfd = UniqueFd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  c.started = MonoClock::now();
  log::info(fmt::format("Starting child client \"{}\" ({},{})", c.entry.command, id->uid, id->gid),
            kRespawnFields);
  Client* raw = &c;
  c.exit_watch = std::make_unique<IoWatcher>(loop_, c.pidfd.get(), IoWatcher::Interest::kRead,
                                             [this, raw](IoReady) { on_exit(*raw); });
  c.exit_watch->start();
  return {};
}

void RespawnSupervisor::on_exit(Client& c) {
  siginfo_t info{};
  const int r = ::waitid(P_PIDFD, static_cast<id_t>(c.pidfd.get()), &info, WEXITED | WNOHANG);
  if (r != 0 && errno != ECHILD) return;
  if (r == 0 && info.si_pid == 0) return;  // not yet
  // ECHILD: reaped elsewhere, status lost; counted as a failure.
  const int code = r == 0 && info.si_code == CLD_EXITED ? info.si_status : -1;
  const auto ran_for =
      std::chrono::duration_cast<std::chrono::milliseconds>(MonoClock::now() - c.started);
  // The watcher is inside its own callback: it runs on a copy (io_watcher.h).
  c.exit_watch.reset();
  c.pidfd.reset();
  c.pid = -1;
  c.kill_timer.cancel();
  if (code >= 0)
    log::info(fmt::format("Client {} exited with return code {}.", c.entry.command, code),
              kRespawnFields);
  else
    log::info(fmt::format("Client {} killed by signal {}.", c.entry.command, info.si_status),
              kRespawnFields);
  if (!c.wanted) return;
  switch (c.policy.on_exit(code, ran_for)) {
    case RespawnVerdict::kAskedNotTo:
      c.wanted = false;
      log::info(fmt::format("Client {} exited with status 100: not respawning it", c.entry.command),
                kRespawnFields);
      return;
    case RespawnVerdict::kTooFast:
      c.wanted = false;
      log::error(fmt::format("Client {} \"respawning too fast\"", c.entry.command), kRespawnFields);
      return;
    case RespawnVerdict::kRestart:
      break;
  }
  log::info(fmt::format("Respawning client \"{}\":", c.entry.command), kRespawnFields);
  if (auto s = spawn(c); !s)
    log::error(fmt::format("Cannot respawn client \"{}\": {}", c.entry.command, s.error().message),
               kRespawnFields);
}

void RespawnSupervisor::stop(std::uint16_t index, const std::string& why) {
  if (index >= clients_.size()) return;
  Client& c = *clients_[index];
  c.wanted = false;
  if (c.pid <= 0 || c.kill_timer.armed()) return;
  log::info(fmt::format("Stopping child client \"{}\" (pid {}): {}", c.entry.command, c.pid, why),
            kRespawnFields);
  ::kill(-c.pid, SIGTERM);
  c.kill_timer.arm_after(kRespawnStopGrace);
}

void RespawnSupervisor::stop_all(const std::string& why) {
  // heartbeat stops its clients in reverse order (§2.4 respawn).
  for (std::size_t i = clients_.size(); i-- > 0;) stop(static_cast<std::uint16_t>(i), why);
}

}  // namespace vigil::resourced
