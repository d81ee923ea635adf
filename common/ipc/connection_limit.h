// How many connections one IPC server keeps open at once. Every server that
// accepts (ipc::Server for the root helpers, heartbeatd's control socket)
// takes a Slot per connection; the Connection holds it, so the slot frees
// itself whoever destroys the connection and for whatever reason. A peer
// past the limit is closed on accept: without a bound, a permitted but
// hostile peer could open connections until the helper runs out of
// descriptors and cannot serve heartbeatd. The refusals are logged at a
// bounded rate (refusal_tally.h): the first at once with the peer's pid
// and uid, the rest as one summary per interval.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "common/event_loop.h"
#include "common/ipc/refusal_tally.h"
#include "common/ipc/socket.h"
#include "common/timer.h"

namespace vigil::ipc {

class ConnectionLimit {
 public:
  // One open connection's place; frees it when destroyed. Move-only.
  class Slot {
   public:
    explicit Slot(std::shared_ptr<std::size_t> used) : used_(std::move(used)) { ++*used_; }
    ~Slot() {
      if (used_) --*used_;
    }
    Slot(Slot&&) noexcept = default;
    Slot& operator=(Slot&&) noexcept = default;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    std::shared_ptr<std::size_t> used_;
  };

  // `label` names the socket in log lines; `summary_interval` is the
  // refusal summaries' (tests shorten it).
  ConnectionLimit(EventLoop& loop, std::string label, std::size_t max,
                  Duration summary_interval = RefusalTally::kDefaultInterval);
  ConnectionLimit(const ConnectionLimit&) = delete;
  ConnectionLimit& operator=(const ConnectionLimit&) = delete;

  // A slot for `peer`, or nothing when all are taken; the refusal is
  // counted and logged at a bounded rate ("refusing IPC connection on
  // <label> from pid P uid U: ...", then "refused N more ...").
  std::optional<Slot> take(const PeerCredentials& peer);

  std::size_t in_use() const { return *used_; }
  std::size_t max() const { return max_; }
  std::size_t refused() const { return tally_.total(); }

 private:
  void on_summary_due();
  void arm_summary();

  std::size_t max_;
  RefusalTally tally_;
  Timer summary_;
  // Shared with the slots, which may outlive this object.
  std::shared_ptr<std::size_t> used_ = std::make_shared<std::size_t>(0);
};

}  // namespace vigil::ipc
