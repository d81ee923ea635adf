// The resourced binary's command line: --version, --help, and the refusal
// to run without root. The binary's path comes from meson (RESOURCED_BIN).
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace {

struct Run {
  int status = -1;
  std::string output;  // stdout and stderr
};

// Runs RESOURCED_BIN with `args`, as uid/gid 65534 when `as_nobody`.
Run run_resourced(std::vector<std::string> args, bool as_nobody = false) {
  const char* bin = std::getenv("RESOURCED_BIN");
  REQUIRE(bin != nullptr);
  args.insert(args.begin(), bin);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::dup2(fds[1], 2);
    ::close(fds[0]);
    if (as_nobody && ::geteuid() == 0 && (::setresgid(65534, 65534, 65534) != 0 ||
                                          ::setresuid(65534, 65534, 65534) != 0))
      ::_exit(126);
    ::execv(bin, argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  Run r;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0) r.output.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace

TEST_CASE("resourced: --version prints the vigil version line") {
  const Run r = run_resourced({"--version"});
  CHECK(r.status == 0);
  CHECK(r.output == "resourced (vigil) 0.1.0\n");
}

TEST_CASE("resourced: --help describes the daemon and the common options") {
  const Run r = run_resourced({"--help"});
  CHECK(r.status == 0);
  CHECK(r.output.rfind("Usage: resourced", 0) == 0);
  CHECK(r.output.find("--config-dir DIR") != std::string::npos);
  CHECK(r.output.find("Must run as root") != std::string::npos);
}

TEST_CASE("resourced: an unknown argument is a usage error") {
  const Run r = run_resourced({"--frobnicate"});
  CHECK(r.status == 2);
  CHECK(r.output.find("unexpected argument \"--frobnicate\"") != std::string::npos);
}

TEST_CASE("resourced: refuses to run as non-root with a clear message") {
  const Run r = run_resourced({"--config-dir", "/nonexistent"}, true);
  CHECK(r.status == 1);
  CHECK(r.output.find("resourced: must run as root") != std::string::npos);
}
