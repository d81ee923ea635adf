#include "ipd/announcer.h"

#include "common/log.h"

namespace vigil::ipd {

struct Announcer::Job {
  int ifindex = 0;
  std::string interface;
  std::vector<ScheduledFrame> frames;
  std::size_t next = 0;
  MonoTime start;
  std::unique_ptr<Timer> timer;
};

Announcer::Announcer(EventLoop& loop, FrameSender& sender) : loop_(loop), sender_(sender) {}

Announcer::~Announcer() = default;

void Announcer::announce(const ResolvedVip& vip, const MacAddress& mac, bool ipv6_router) {
  const std::string key = vip.address.to_string();
  auto job = std::make_unique<Job>();
  job->ifindex = vip.ifindex;
  job->interface = vip.interface;
  job->frames = announcement_frames(vip, mac, ipv6_router);
  job->start = MonoClock::now();
  job->timer = std::make_unique<Timer>(loop_, [this, key] { run(key); });
  jobs_[key] = std::move(job);  // replaces (and so cancels) a running one
  run(key);
}

void Announcer::cancel(const IpAddress& address) {
  jobs_.erase(address.to_string());
  if (jobs_.empty() && on_idle_) on_idle_();
}

void Announcer::run(const std::string& key) {
  const auto it = jobs_.find(key);
  if (it == jobs_.end()) return;
  Job& job = *it->second;
  const auto elapsed = MonoClock::now() - job.start;
  while (job.next < job.frames.size() && job.frames[job.next].offset <= elapsed) {
    const Status st = sender_.send(job.ifindex, job.frames[job.next].frame);
    if (st) {
      ++sent_;
    } else {
      ++failed_;
      log::warn("announcing " + key + " on " + job.interface + ": " + st.error().message,
                {{"VIGIL_EVENT", "vip-announce-failed"}});
    }
    ++job.next;
  }
  if (job.next < job.frames.size()) {
    job.timer->arm_at(job.start + job.frames[job.next].offset);
    return;
  }
  // Erasing destroys the timer whose callback may be running: allowed by
  // event_loop.h's ownership rules.
  jobs_.erase(it);
  if (jobs_.empty() && on_idle_) on_idle_();
}

}  // namespace vigil::ipd
