#include "common/ipc/refusal_tally.h"

#include <fmt/format.h>

namespace vigil::ipc {

namespace {

long long whole_seconds(Duration d) {
  return std::chrono::duration_cast<std::chrono::seconds>(d).count();
}

}  // namespace

std::optional<RefusalLine> RefusalTally::record(const PeerCredentials& peer, std::size_t open,
                                                MonoTime now) {
  ++total_;
  open_ = open;
  if (!interval_end_) {
    interval_end_ = now + interval_;
    return RefusalLine{
        fmt::format("refusing IPC connection on {} from pid {} uid {}: {} connections are open, "
                    "the limit (more refusals are counted and reported every {} s)",
                    label_, peer.pid, peer.uid, open, whole_seconds(interval_)),
        peer};
  }
  if (pending_ == 0) first_pending_ = peer;
  ++pending_;
  return std::nullopt;
}

std::optional<MonoTime> RefusalTally::next_deadline() const { return interval_end_; }

std::optional<RefusalLine> RefusalTally::summarise(MonoTime now) {
  if (!interval_end_ || now < *interval_end_) return std::nullopt;
  if (pending_ == 0) {
    interval_end_.reset();  // a quiet interval ends the episode
    return std::nullopt;
  }
  RefusalLine line{
      fmt::format("refused {} more IPC connection(s) on {} in the last {} s, the first from pid "
                  "{} uid {}: {} connections are open, the limit",
                  pending_, label_, whole_seconds(interval_), first_pending_.pid,
                  first_pending_.uid, open_),
      first_pending_};
  pending_ = 0;
  interval_end_ = now + interval_;
  return line;
}

}  // namespace vigil::ipc
