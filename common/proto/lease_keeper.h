// The lease a root helper grants heartbeatd (helper_common.h), kept on the
// helper's event loop: the sans-IO LeaseClock (lease.h), the timer that
// fires when it runs out, how many connections hold it, and the log lines
// both helpers write about it. What expiry releases is each helper's own
// business (ipd removes its VIPs, resourced stops its resources), handed
// over through `on_expired`.
//
// - The clock runs from construction with `default_lease`: a helper whose
//   heartbeatd never connects releases what it finds.
// - Every connection that said Hello holds the lease; the clock is stopped
//   while at least one holder is connected, and starts with the last lease
//   asked for when the last holder's connection closes.
// - When it runs out: a crit line with VIGIL_EVENT=lease-expired saying why
//   ("heartbeatd gone for N ms: ..." or "heartbeatd did not connect within
//   N ms of <helper>'s start: ..."), then `on_expired`, once per lapse.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "common/event_loop.h"
#include "common/proto/lease.h"
#include "common/timer.h"

namespace vigil::proto {

// The helper's words in the lease's log and status lines.
struct LeaseWords {
  std::string helper;     // "ipd": whose start an unclaimed lease counts from
  std::string held;       // "virtual IPs": what stays as it is for the lease
  std::string releasing;  // "removing all virtual IPs": what expiry does
  std::string released;   // "virtual IPs removed": the state once it has
};

class LeaseKeeper {
 public:
  using Callback = std::function<void()>;

  // `label` names the socket in log lines. `on_change` is called when
  // status_text() may have changed by a Hello, a Lease or the last holder
  // leaving; `on_expired` when the lease ran out. Neither may destroy the
  // keeper.
  LeaseKeeper(EventLoop& loop, std::string label, std::chrono::milliseconds default_lease,
              LeaseWords words, Callback on_expired, Callback on_change);
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  // A connection from `who` ("pid P uid U") said Hello with `lease_ms`: it
  // holds the lease from now on.
  void on_hello(const std::string& who, std::uint32_t lease_ms);
  // A holder asked for another lease (Lease message).
  void on_lease(std::uint32_t lease_ms);
  // The connection of a holder closed.
  void on_holder_gone(const std::string& who);

  bool held() const { return holders_ > 0; }
  // For sd_notify STATUS=: connected, running or expired.
  std::string status_text() const;

 private:
  void arm();
  void on_timer();

  std::string label_;
  LeaseWords words_;
  Callback on_expired_;
  Callback on_change_;
  LeaseClock clock_;
  Timer timer_;
  bool ever_greeted_ = false;
  int holders_ = 0;
};

}  // namespace vigil::proto
