#include "common/proto/lease_keeper.h"

#include <fmt/format.h>

#include <utility>

#include "common/clock.h"
#include "common/log.h"

namespace vigil::proto {

LeaseKeeper::LeaseKeeper(EventLoop& loop, std::string label,
                         std::chrono::milliseconds default_lease, LeaseWords words,
                         Callback on_expired, Callback on_change)
    : label_(std::move(label)),
      words_(std::move(words)),
      on_expired_(std::move(on_expired)),
      on_change_(std::move(on_change)),
      clock_(default_lease, MonoClock::now()),
      timer_(loop, [this] { on_timer(); }) {
  arm();
}

void LeaseKeeper::on_hello(const std::string& who, std::uint32_t lease_ms) {
  ++holders_;
  ever_greeted_ = true;
  clock_.on_hello(lease_ms);
  timer_.cancel();
  log::info(fmt::format("{}: heartbeatd ({}) said Hello; lease {} ms", label_, who, lease_ms));
  if (on_change_) on_change_();
}

void LeaseKeeper::on_lease(std::uint32_t lease_ms) {
  clock_.on_lease(lease_ms);
  log::debug(fmt::format("{}: lease now {} ms", label_, lease_ms));
  if (on_change_) on_change_();
}

void LeaseKeeper::on_holder_gone(const std::string& who) {
  if (--holders_ > 0) return;
  clock_.on_disconnect(MonoClock::now());
  log::warn(
      fmt::format("{}: heartbeatd ({}) disconnected; {} stay as they are for the "
                  "lease of {} ms",
                  label_, who, words_.held, clock_.lease().count()));
  arm();
  if (on_change_) on_change_();
}

std::string LeaseKeeper::status_text() const {
  if (holders_ > 0) return fmt::format("heartbeatd connected, lease {} ms", clock_.lease().count());
  if (clock_.deadline())
    return fmt::format("heartbeatd not connected; lease of {} ms running", clock_.lease().count());
  return "heartbeatd not connected; lease expired, " + words_.released;
}

void LeaseKeeper::arm() {
  if (auto deadline = clock_.deadline())
    timer_.arm_at(*deadline);
  else
    timer_.cancel();
}

void LeaseKeeper::on_timer() {
  // The timer may fire just short of the deadline the clock keeps.
  if (!clock_.expire(MonoClock::now())) return arm();
  const auto lease_ms = clock_.lease().count();
  if (ever_greeted_)
    log::crit(
        fmt::format("heartbeatd gone for {} ms: {} (lease expired)", lease_ms, words_.releasing),
        {{"VIGIL_EVENT", "lease-expired"}});
  else
    log::crit(fmt::format("heartbeatd did not connect within {} ms of {}'s start: {} (lease "
                          "expired)",
                          lease_ms, words_.helper, words_.releasing),
              {{"VIGIL_EVENT", "lease-expired"}});
  if (on_expired_) on_expired_();
}

}  // namespace vigil::proto
