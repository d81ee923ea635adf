#include "heartbeatd/core/send_history.h"

namespace vigil::core {

void SendHistory::add(const Send& send) {
  const std::uint64_t seq = send.seq.value_or(0);
  // A non-consecutive seq would break the index arithmetic below; only the
  // core adds, always with next_seq, so start over rather than assert.
  if (!entries_.empty() && seq != entries_.back().seq + 1) entries_.clear();
  entries_.push_back(Entry{seq, send, std::nullopt});
  if (entries_.size() > kCapacity) entries_.pop_front();
}

std::optional<std::uint64_t> SendHistory::lowest() const {
  if (entries_.empty()) return std::nullopt;
  return entries_.front().seq;
}

SendHistory::Lookup SendHistory::take_for_resend(std::uint64_t seq, MonoTime now,
                                                 const Send** out) {
  if (entries_.empty()) return Lookup::kNotFound;
  if (seq < entries_.front().seq) return Lookup::kTooLow;
  const std::uint64_t index = seq - entries_.front().seq;
  if (index >= entries_.size()) return Lookup::kNotFound;
  Entry& e = entries_[index];
  if (e.last_resent && now - *e.last_resent < kResendInterval) return Lookup::kTooRecent;
  e.last_resent = now;
  *out = &e.send;
  return Lookup::kFound;
}

}  // namespace vigil::core
