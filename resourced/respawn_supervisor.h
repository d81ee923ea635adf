// The programs of ha.cf's `respawn USER /path [args]` lines
// (heartbeat-compat.md §2.4), run by resourced as heartbeat ran them:
//
// - started as USER (its uid, its primary group and its supplementary
//   groups) through `/bin/sh -c "exec <command>"`, stdin/stdout/stderr on
//   /dev/null, in its own session and process group, cwd /, with the
//   environment resource agents get (agent_environment.h);
//   logs `Starting child client "<cmd>" (<uid>,<gid>)`;
// - when it exits: `Client <cmd> exited with return code <n>.`, then
//   restarted (`Respawning client "<cmd>":`) unless respawn_policy.h says
//   no (status 100, or "respawning too fast");
// - stopped (SIGTERM to its process group, SIGKILL 10 s later) when asked,
//   when heartbeatd's lease runs out, and when resourced exits: unlike
//   resource agents these are resourced's own children, and
//   PR_SET_PDEATHSIG ends them even if resourced is killed with -9, so a
//   restarted resourced never finds a stray copy it does not know about
//   (heartbeatd asks it to start them again when it reconnects).
//
// Which entries run at all is conf::respawn_entries_to_run (respawn_role.h:
// not heartbeat's ipfail nor DRBD's dopd); the supervisor refuses others.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "common/io_watcher.h"
#include "common/result.h"
#include "common/timer.h"
#include "common/unique_fd.h"
#include "conf/config.h"
#include "resourced/respawn_policy.h"

namespace vigil::resourced {

inline constexpr std::chrono::seconds kRespawnStopGrace{10};

class RespawnSupervisor {
 public:
  // `config` must outlive the supervisor.
  RespawnSupervisor(EventLoop& loop, const conf::Config& config);
  // Stops every client (SIGTERM, up to 2 s, then SIGKILL).
  ~RespawnSupervisor();
  RespawnSupervisor(const RespawnSupervisor&) = delete;
  RespawnSupervisor& operator=(const RespawnSupervisor&) = delete;

  // Why `index` may not be asked for ("" if it may): out of ha.cf's
  // respawn lines, or a line vigil does not run.
  std::string violation(std::uint16_t index) const;

  // Starts entry `index` unless it runs already (then nothing happens);
  // one that gave up (status 100, too fast) starts afresh.
  Status start(std::uint16_t index);
  // Stops it and does not restart it until the next start().
  void stop(std::uint16_t index, const std::string& why);
  void stop_all(const std::string& why);
  bool running(std::uint16_t index) const;

 private:
  struct Client;
  Status spawn(Client& c);
  void on_exit(Client& c);

  EventLoop& loop_;
  const conf::Config& config_;
  std::vector<std::string> env_;
  std::vector<std::unique_ptr<Client>> clients_;  // one per respawn line, file order
};

}  // namespace vigil::resourced
