// Sends the announcements of VIPs (announcement_schedule.h) on the event
// loop: the first frame at once, the rest from timers, never blocking.
// Announcing a VIP that is being announced restarts its schedule, which is
// what an idempotent re-add wants (a re-asserted VIP is re-announced).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "common/event_loop.h"
#include "common/timer.h"
#include "ipd/announcement_schedule.h"
#include "ipd/packet_socket.h"

namespace vigil::ipd {

class Announcer {
 public:
  // `sender` must outlive the Announcer.
  Announcer(EventLoop& loop, FrameSender& sender);
  ~Announcer();
  Announcer(const Announcer&) = delete;
  Announcer& operator=(const Announcer&) = delete;

  // Starts announcing `vip` from `mac` (its interface's address). For IPv6
  // the router flag follows `ipv6_router`. Frames that fail to go out are
  // logged and skipped; the schedule goes on.
  void announce(const ResolvedVip& vip, const MacAddress& mac, bool ipv6_router);
  // Stops announcing `address` (its VIP is being removed). No-op if idle.
  void cancel(const IpAddress& address);

  // Number of announcements in progress.
  std::size_t active() const { return jobs_.size(); }
  // Called after the last frame of the last announcement in progress.
  void set_on_idle(std::function<void()> on_idle) { on_idle_ = std::move(on_idle); }
  // Frames sent and frames that failed, since construction.
  std::size_t frames_sent() const { return sent_; }
  std::size_t frames_failed() const { return failed_; }

 private:
  struct Job;
  void run(const std::string& key);

  EventLoop& loop_;
  FrameSender& sender_;
  std::map<std::string, std::unique_ptr<Job>> jobs_;  // by address text
  std::function<void()> on_idle_;
  std::size_t sent_ = 0;
  std::size_t failed_ = 0;
};

}  // namespace vigil::ipd
