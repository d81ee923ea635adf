// Per-peer sequence and generation tracking: the replay filter and gap
// bookkeeping of heartbeat-compat.md §5.8.
//
// One PeerSeqTracker per configured peer. It sees every sequenced message
// of that peer after authentication, and classifies it:
//   * older generation than remembered          → kDrop, replay = true
//   * newer generation on a `status`            → kKeep, restarted (tracking reset)
//   * newer generation on anything else         → kDrop (wait for the status)
//   * same generation: seq == last + 1          → kKeep
//                      seq == last              → kDuplicate (same packet, other medium)
//                      seq >  last + 1          → kKeep, the gap is recorded as missing;
//                                                 a gap over kMaxGap resets tracking
//                      seq <  last, missing     → kKeep (gap fill)
//                      seq <  last, otherwise   → kDrop
// The tracker decides; the caller logs (it knows the node name) and asks
// for retransmission of what is missing.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "common/clock.h"

namespace vigil::core {

enum class SeqVerdict { kKeep, kDuplicate, kDrop };

struct SeqResult {
  SeqVerdict verdict = SeqVerdict::kDrop;
  bool first_contact = false;               // no generation was known before
  bool replay = false;                      // older generation: "attempted replay attack"
  bool restarted = false;                   // newer generation on a status, one was known
  bool newest = false;                      // kKeep of a seq above every earlier one
  bool gap_fill = false;                    // kKeep of a seq that was missing
  bool all_gaps_filled = false;             // ... and it was the last missing one
  bool lost_a_lot = false;                  // gap > kMaxGap: tracking reset
  std::uint64_t lost = 0;                   // packets newly found missing
  std::uint64_t previous_last = 0;          // for "[<last>:<seq>]"
  std::uint64_t remembered_generation = 0;  // for the replay log line
};

class PeerSeqTracker {
 public:
  // heartbeat resets tracking when more than this many packets are missing
  // in one gap (§5.8); we also cap the total missing set at this size so a
  // peer cannot make us track an unbounded number of holes.
  static constexpr std::uint64_t kMaxGap = 250;

  // Classifies one sequenced message. `first_request_at` is when the first
  // NS_rexmit for a newly found gap becomes due (the caller draws the
  // random delay, §5.8).
  SeqResult accept(std::uint64_t generation, std::uint64_t seq, bool is_status,
                   MonoTime first_request_at);

  // After the peer was declared dead: missing packets are no longer asked
  // for, and the next newer seq of the same generation is taken without gap
  // accounting (heartbeat logs no lost packets on a healed partition).
  void resync();

  // Missing seqs whose NS_rexmit is due at `now`; each is rescheduled to
  // `next`. Ascending order.
  std::vector<std::uint64_t> take_due(MonoTime now, MonoTime next);
  // The earliest due time of a missing seq, if any.
  std::optional<MonoTime> next_due() const;
  // Forgets a missing seq after the peer NAKed it. False if it was not missing.
  bool forget(std::uint64_t seq);

  std::optional<std::uint64_t> generation() const { return generation_; }
  std::uint64_t last_seq() const { return last_; }
  std::size_t missing_count() const { return missing_.size(); }
  bool is_missing(std::uint64_t seq) const { return missing_.contains(seq); }

  bool operator==(const PeerSeqTracker&) const = default;

 private:
  void reset(std::uint64_t generation, std::uint64_t seq);

  std::optional<std::uint64_t> generation_;
  std::uint64_t last_ = 0;
  bool resync_ = false;
  std::map<std::uint64_t, MonoTime> missing_;  // seq → next NS_rexmit due
};

}  // namespace vigil::core
