// The last kCapacity sequenced messages we sent, kept to answer NS_rexmit
// (heartbeat-compat.md §5.8: heartbeat keeps 500, re-sends a stored message
// at most once per 240 ms, at most 50 per request).
//
// Each entry is the Send action as it went out (message without control
// fields, seq, dest); a retransmission re-sends it with its original seq.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>

#include "common/clock.h"
#include "heartbeatd/core/actions.h"

namespace vigil::core {

class SendHistory {
 public:
  static constexpr std::size_t kCapacity = 500;
  static constexpr Duration kResendInterval = std::chrono::milliseconds(240);

  // Records a sequenced Send (its seq set). Seqs are consecutive: each add
  // is the previous seq + 1 (the first may be any value, e.g. a resumed seq).
  void add(const Send& send);

  enum class Lookup { kFound, kTooLow, kNotFound, kTooRecent };
  // Finds `seq` for a retransmission at `now`. kFound marks it re-sent at
  // `now`; kTooRecent when it was re-sent less than kResendInterval ago.
  Lookup take_for_resend(std::uint64_t seq, MonoTime now, const Send** out);

  std::optional<std::uint64_t> lowest() const;
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::uint64_t seq = 0;
    Send send;
    std::optional<MonoTime> last_resent;
  };
  std::deque<Entry> entries_;
};

}  // namespace vigil::core
