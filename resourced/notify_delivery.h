// The notify hook of vigil.cf (vigil-vigil.cf(5), "NOTIFY HOOK"): every
// cluster event is spooled on disk (notify_spool.h) before heartbeatd's
// Task is answered, then handed to CONFIG_DIR/notify.d/NAME one at a time,
// oldest first. An event leaves the spool only when the hook exited 0; a
// failure is logged and the same event is tried again after
// notify_retry_delay(), later events waiting behind it. So delivery is at
// least once and in order, across restarts of resourced (the spool), of
// heartbeatd (it resends what was not acknowledged) and of the machine.
//
// The hook is resourced's own configuration (a name in notify.d, chosen by
// root); the event's fields reach it as environment data only, with the
// rules of event_command.h.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/event_loop.h"
#include "common/proto/cluster_event.h"
#include "common/result.h"
#include "common/timer.h"
#include "resourced/agent_executor.h"
#include "resourced/notify_spool.h"

namespace vigil::resourced {

struct NotifyOptions {
  std::string hook_path;                 // CONFIG_DIR/notify.d/NAME
  std::vector<std::string> environment;  // agent_environment(config)
  Duration timeout = std::chrono::seconds(30);
  std::chrono::milliseconds retry_max{60000};
  std::chrono::milliseconds retry_base{1000};  // the first wait (tests shorten it)
  std::string output_dir;
};

// The text of one spooled event: "VIGIL_EVENT_SEQ=N", "VIGIL_EVENT=TYPE",
// "VIGIL_EVENT_TIME=S.mmm", then "HA_name=value" per field, one a line.
// Values are printable ASCII (cluster_event.h), so a line is a field.
std::string spooled_event_text(std::uint64_t seq, proto::ClusterEvent event,
                               const std::vector<proto::EventField>& fields, std::int64_t unix_ms);

class NotifyDelivery {
 public:
  // Opens (creates) the spool in `spool_dir` and starts delivering what a
  // previous run left there.
  static Result<std::unique_ptr<NotifyDelivery>> open(EventLoop& loop, NotifyOptions options,
                                                      const std::string& spool_dir);
  NotifyDelivery(EventLoop& loop, NotifyOptions options, std::unique_ptr<SpoolStore> store,
                 NotifySpool spool);
  ~NotifyDelivery();
  NotifyDelivery(const NotifyDelivery&) = delete;
  NotifyDelivery& operator=(const NotifyDelivery&) = delete;

  // Spools one event durably (then it is the hook's, whatever happens to
  // this process) and delivers it when its turn comes.
  Status enqueue(proto::ClusterEvent event, const std::vector<proto::EventField>& fields,
                 std::int64_t unix_ms);

  std::size_t waiting() const { return spool_.size(); }
  int failures() const { return failures_; }  // of the event in front

 private:
  void deliver_next();
  void on_done(std::uint64_t seq, const ExecResult& r);
  void retry_later(std::uint64_t seq, const std::string& why);

  NotifyOptions options_;
  std::unique_ptr<SpoolStore> store_;
  NotifySpool spool_;
  AgentExecutor executor_;
  Timer retry_;
  bool running_ = false;  // a hook run or a retry wait is under way
  int failures_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace vigil::resourced
