// How often refusals past a connection limit reach the log (issue 15).
//
// A local peer past an IPC server's connection limit (connection_limit.h)
// is closed on accept. One that reconnects in a loop is refused as fast
// as it connects; a line per refusal would let it decide how fast the log
// grows. The tally logs the first refusal of an episode at once, with the
// peer's pid and uid, counts the rest, and says how many there were in one
// summary line per interval, naming the first refused peer of that
// interval. An episode ends when a whole interval passes without a
// refusal; the next refusal is logged at once again. So at most one line
// at once and one summary per interval, whatever the connection rate.
//
// Sans-IO: the caller passes `now`, writes the lines it gets back and calls
// summarise() at next_deadline().
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/ipc/socket.h"

namespace vigil::ipc {

// A line for the log (warning) and the peer it names, for its fields.
struct RefusalLine {
  std::string text;
  PeerCredentials peer;
};

class RefusalTally {
 public:
  static constexpr Duration kDefaultInterval = std::chrono::seconds(60);

  // `label` names the socket in the lines ("resourced.sock").
  explicit RefusalTally(std::string label, Duration interval = kDefaultInterval)
      : label_(std::move(label)), interval_(interval) {}

  // Counts one refusal of `peer` while `open` connections (the limit) are
  // held. Returns the line to log now when it opens an episode.
  std::optional<RefusalLine> record(const PeerCredentials& peer, std::size_t open, MonoTime now);

  // When summarise() has something to do; nullopt: no episode.
  std::optional<MonoTime> next_deadline() const;

  // At or after next_deadline(): the summary of the refusals counted but
  // not logged in the interval that ended, if any; ends the episode when
  // there were none. Nothing before the deadline.
  std::optional<RefusalLine> summarise(MonoTime now);

  // Refusals since start, logged or not.
  std::size_t total() const { return total_; }

 private:
  std::string label_;
  Duration interval_;
  std::optional<MonoTime> interval_end_;  // set while an episode lasts
  std::size_t pending_ = 0;               // counted, not logged, this interval
  PeerCredentials first_pending_{};       // the first of them
  std::size_t open_ = 0;                  // connections held at the last refusal
  std::size_t total_ = 0;
};

}  // namespace vigil::ipc
