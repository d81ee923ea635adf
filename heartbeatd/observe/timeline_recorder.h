// The ActivityObserver heartbeatd's main installs: turns what the I/O shell
// executes into EventTimeline entries, stamping them with the wall clock
// (the one clock read here; the monotonic `now` comes from the caller).
//
// When a peer is declared dead (`node-dead`), it asks `last_heard` when
// that peer was last heard from, so the timeline starts where the outage
// did (failover_timeline.h).
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "conf/config.h"
#include "heartbeatd/core/snapshot.h"
#include "heartbeatd/observe/activity_observer.h"
#include "heartbeatd/observe/event_timeline.h"

namespace vigil::observe {

class TimelineRecorder final : public ActivityObserver {
 public:
  using LastHeard = std::function<std::optional<MonoTime>(std::string_view node)>;

  TimelineRecorder(const conf::Config& config, EventTimeline& timeline, LastHeard last_heard)
      : config_(config), timeline_(timeline), last_heard_(std::move(last_heard)) {}

  void on_log(const core::Log& log, MonoTime now) override;
  void on_step_started(const ownership::ResourceRequest& request, MonoTime now) override;
  void on_step_finished(std::uint32_t request_id, ownership::ResourceOutcome outcome,
                        MonoTime now) override;

 private:
  const conf::Config& config_;
  EventTimeline& timeline_;
  LastHeard last_heard_;
};

// When `node` was last heard from: its last status or, later, any of its
// links' last packet. nullopt if never heard.
std::optional<MonoTime> last_heard(const core::Snapshot& snapshot, std::string_view node);

// "start" / "stop" / "status".
std::string_view op_word(ownership::ResourceOp op);
// "ok" / "failed" / "running" / "stopped".
std::string_view outcome_word(ownership::ResourceOutcome outcome);

}  // namespace vigil::observe
