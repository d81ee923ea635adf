// heartbeat's rules for restarting a respawn client (heartbeat-compat.md
// §2.4 respawn), as a pure decision the supervisor (respawn_supervisor.h)
// asks each time a client exits:
//
// - exit status 100 means "do not respawn me";
// - a client that died more than 10 times in a row, each time within 30 s
//   of its start, is "respawning too fast" and is not restarted again;
// - one run of 30 s or more forgives the earlier quick deaths.
#pragma once

#include <chrono>

namespace vigil::resourced {

inline constexpr int kRespawnDoNotRestartStatus = 100;
inline constexpr int kRespawnMaxQuickDeaths = 10;
inline constexpr std::chrono::seconds kRespawnQuickDeath{30};

enum class RespawnVerdict {
  kRestart,     // start it again now
  kAskedNotTo,  // exit status 100
  kTooFast,     // more than kRespawnMaxQuickDeaths quick deaths in a row
};

class RespawnPolicy {
 public:
  // `exit_code` is -1 when a signal ended it; `ran_for` how long it ran.
  RespawnVerdict on_exit(int exit_code, std::chrono::milliseconds ran_for) {
    if (exit_code == kRespawnDoNotRestartStatus) return RespawnVerdict::kAskedNotTo;
    quick_deaths_ = ran_for < kRespawnQuickDeath ? quick_deaths_ + 1 : 0;
    return quick_deaths_ > kRespawnMaxQuickDeaths ? RespawnVerdict::kTooFast
                                                  : RespawnVerdict::kRestart;
  }
  // An explicit start (heartbeatd asking again) gives it a fresh count.
  void reset() { quick_deaths_ = 0; }
  int quick_deaths() const { return quick_deaths_; }

 private:
  int quick_deaths_ = 0;
};

}  // namespace vigil::resourced
