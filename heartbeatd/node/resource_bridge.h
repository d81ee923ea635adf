// The resource side of heartbeatd: owns the ownership module
// (heartbeatd/ownership/ownership.h) and connects it to the world.
//
//   ClusterNode's event sink ──► on_core_action ──► Ownership
//   Ownership ── SendMessage ──► send callback (ClusterNode::send)
//             ── Log ──────────► log::write
//             ── ResourceRequest ► HelperPort (ipd or resourced), whose
//                                  answer is translated back
//                                  (resource_translation.h) into
//                                  on_resource_result
//             ── ShutdownComplete ► shutdown_complete() and the callback
//
// Start: before deciding anything it learns what this node holds (a
// "survey"): ListVips from ipd and a status of every non-IP resource from
// resourced. What runs is kept after a restart that continued the
// generation, and released as a leftover after any other start. The
// module is built when every answer is in, or when `survey_timeout` has
// passed (a helper not reachable): then it starts as
// holding nothing and says why in the log. Membership events that arrive
// meanwhile are kept and handed to the module, in order, once it exists.
//
// While it runs, a HoldingGuard (holding_guard.h) hears ipd's events and
// the helpers' reconnections, and restores a resource of a held group that
// something else removed or stopped.
//
// Order: inputs are queued and run one at a time; the actions of one input
// are executed in order before the next input runs, whatever re-enters
// (ClusterNode::send calling the sink, a fake helper answering at once).
//
// No clock is read here: `clock` is called for the time of helper answers;
// every other entry point takes `now`.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "conf/config.h"
#include "heartbeatd/core/actions.h"
#include "heartbeatd/node/helper_port.h"
#include "heartbeatd/node/holding_guard.h"
#include "heartbeatd/node/resource_translation.h"
#include "heartbeatd/observe/activity_observer.h"
#include "heartbeatd/ownership/ownership.h"

namespace vigil::node {

class ResourceBridge {
 public:
  static constexpr Duration kSurveyTimeout = std::chrono::seconds(2);

  using Sender = std::function<void(const ownership::SendMessage&, MonoTime)>;
  using Clock = std::function<MonoTime()>;

  // Whether this heartbeatd continues its predecessor's generation
  // (state::SequenceStart::continued): only then does the module keep what
  // the survey finds running; otherwise that is released (ownership.h,
  // "Leftovers").
  enum class Generation { kNew, kContinued };

  // Starts the survey at once. `config` and `helpers` must outlive this.
  ResourceBridge(const conf::Config& config, HelperPort& helpers, Sender send, Clock clock,
                 MonoTime now, Generation generation, Duration survey_timeout = kSurveyTimeout);
  ResourceBridge(const ResourceBridge&) = delete;
  ResourceBridge& operator=(const ResourceBridge&) = delete;

  // ClusterNode's EventSink. Only queues: the sink runs in the middle of
  // ClusterNode's own action list, and a message sent from there would take
  // a sequence number ahead of the Sends still waiting in that list. Call
  // flush() once the ClusterNode call has returned (on_tick and every other
  // entry point flush too).
  void on_core_action(const core::Action& action, MonoTime now);
  void flush() { pump(); }
  void on_tick(MonoTime now);
  // hb_standby / hb_takeover / SIGTERM (§6.7). A shutdown before the module
  // exists completes at once: nothing was acquired.
  void standby(ownership::ClassBits cls, MonoTime now);
  void takeover(ownership::ClassBits cls, bool failback, MonoTime now);
  void shutdown(long pid, MonoTime now);

  std::optional<MonoTime> next_deadline() const;
  bool ready() const { return own_ != nullptr; }
  bool shutdown_complete() const { return shutdown_complete_; }
  void set_on_shutdown_complete(std::function<void()> f) { on_shutdown_complete_ = std::move(f); }
  // Called after every batch of work (e.g. a helper's answer arriving from
  // the event loop), so the caller can re-arm its timer at next_deadline().
  void set_on_change(std::function<void()> f) { on_change_ = std::move(f); }
  // Told every Log action and resource step executed; may be null.
  void set_observer(observe::ActivityObserver* observer) { observer_ = observer; }
  // nullptr until the survey is over.
  const ownership::Ownership* ownership() const { return own_.get(); }

 private:
  using Input = std::function<ownership::Actions(ownership::Ownership&)>;

  void start_survey();
  void finish_survey(const char* why);
  void push(Input input);
  void pump();
  void execute(const ownership::Action& action);
  void run_request(const ownership::ResourceRequest& request);
  void answer(std::uint32_t request_id, ownership::ResourceOutcome outcome);
  bool holds_quietly(std::size_t group) const;

  const conf::Config& config_;
  HelperPort& helpers_;
  Sender send_;
  Clock clock_;
  Generation generation_;
  MonoTime survey_deadline_;
  int survey_waiting_ = 0;
  RunningSet survey_running_;
  bool survey_failed_ = false;  // a helper answered "could not tell"
  std::unique_ptr<ownership::Ownership> own_;
  std::deque<Input> inputs_;
  bool pumping_ = false;
  bool shutdown_complete_ = false;
  std::optional<std::pair<long, MonoTime>> early_shutdown_;
  std::function<void()> on_shutdown_complete_;
  std::function<void()> on_change_;
  observe::ActivityObserver* observer_ = nullptr;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  HoldingGuard guard_;
};

}  // namespace vigil::node
