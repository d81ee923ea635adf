#include "resourced/agent_process.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace vigil::resourced {

namespace {

std::vector<char*> c_strings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  out.reserve(v.size() + 1);
  for (const std::string& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

int open_pidfd(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

// Only async-signal-safe calls from here on: the parent may be multi-
// threaded in some future, and the child of fork must not touch malloc.
[[noreturn]] void exec_child(const char* path, char* const argv[], char* const envp[], int null_fd,
                             int out_fd, int err_fd) {
  prepare_exec_child(null_fd, out_fd, err_fd);
  if (chdir("/") != 0) _exit(127);
  umask(022);
  execve(path, argv, envp);
  // strerrordesc_np returns a static string: no locale, no allocation.
  const char* reason = strerrordesc_np(errno);
  if (reason == nullptr) reason = "unknown error";
  const char prefix[] = "cannot execute ";
  [[maybe_unused]] ssize_t r = write(STDERR_FILENO, prefix, sizeof prefix - 1);
  r = write(STDERR_FILENO, path, strlen(path));
  r = write(STDERR_FILENO, ": ", 2);
  r = write(STDERR_FILENO, reason, strlen(reason));
  r = write(STDERR_FILENO, "\n", 1);
  _exit(127);
}

// An anonymous file holding `text`, read from its start: no pipe to feed
// from the loop, nothing in the file system (the text may hold a fence
// device's password), and an agent that reads only part of it never blocks.
UniqueFd stdin_file(const std::string& text) {
  UniqueFd fd(::memfd_create("vigil-stdin", MFD_CLOEXEC));
  if (!fd) return fd;
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd.get(), text.data() + done, text.size() - done);
    if (n <= 0) return UniqueFd();
    done += static_cast<std::size_t>(n);
  }
  if (::lseek(fd.get(), 0, SEEK_SET) != 0) return UniqueFd();
  return fd;
}

Result<std::pair<UniqueFd, UniqueFd>> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return Error{fmt::format("pipe: {}", std::strerror(errno))};
  ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  return std::pair{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

}  // namespace

void prepare_exec_child(int in_fd, int out_fd, int err_fd) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) sigaction(sig, &dfl, nullptr);
  setsid();
  dup2(in_fd, STDIN_FILENO);
  dup2(out_fd, STDOUT_FILENO);
  dup2(err_fd, STDERR_FILENO);
  ::syscall(SYS_close_range, 3U, ~0U, 0U);
}

Result<AgentProcess> spawn_agent_process(const Command& cmd, const AgentOutputFiles* files) {
  std::vector<char*> argv = c_strings(cmd.argv);
  std::vector<char*> envp = c_strings(cmd.env);
  UniqueFd null_fd = cmd.stdin_text.empty() ? UniqueFd(::open("/dev/null", O_RDONLY | O_CLOEXEC))
                                            : stdin_file(cmd.stdin_text);
  if (!null_fd) return Error{fmt::format("stdin: {}", std::strerror(errno))};
  Result<std::pair<UniqueFd, UniqueFd>> out = std::pair<UniqueFd, UniqueFd>{};
  Result<std::pair<UniqueFd, UniqueFd>> err = std::pair<UniqueFd, UniqueFd>{};
  if (files == nullptr) {
    out = make_pipe();
    if (!out) return out.error();
    err = make_pipe();
    if (!err) return err.error();
  }
  const int out_fd = files ? files->stdout_fd : out->second.get();
  const int err_fd = files ? files->stderr_fd : err->second.get();

  const pid_t pid = ::fork();
  if (pid < 0) return Error{fmt::format("fork: {}", std::strerror(errno))};
  if (pid == 0)
    exec_child(cmd.path.c_str(), argv.data(), envp.data(), null_fd.get(), out_fd, err_fd);

  AgentProcess p;
  p.pid = pid;
  p.pidfd = UniqueFd(open_pidfd(pid));
  if (!p.pidfd) {
    const int e = errno;
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return Error{fmt::format("pidfd_open: {}", std::strerror(e))};
  }
  p.stdout_fd = std::move(out->first);
  p.stderr_fd = std::move(err->first);
  return p;
}

std::optional<ExitStatus> reap_agent_process(const AgentProcess& p) {
  siginfo_t info{};
  if (::waitid(P_PIDFD, static_cast<id_t>(p.pidfd.get()), &info, WEXITED | WNOHANG) != 0) {
    // ECHILD: someone else reaped it (SIGCHLD set to SIG_IGN); the status
    // is lost. Report it as a failure rather than hang.
    if (errno == ECHILD) return ExitStatus{-1, 0};
    return std::nullopt;
  }
  if (info.si_pid == 0) return std::nullopt;
  if (info.si_code == CLD_EXITED) return ExitStatus{info.si_status, 0};
  return ExitStatus{-1, info.si_status};
}

void kill_agent_process_group(const AgentProcess& p) {
  ::kill(-p.pid, SIGKILL);
  // Also the process itself, should it not have reached setsid() yet.
  ::syscall(SYS_pidfd_send_signal, p.pidfd.get(), SIGKILL, nullptr, 0U);
}

}  // namespace vigil::resourced
