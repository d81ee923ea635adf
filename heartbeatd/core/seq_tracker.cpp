#include "heartbeatd/core/seq_tracker.h"

namespace vigil::core {

void PeerSeqTracker::reset(std::uint64_t generation, std::uint64_t seq) {
  generation_ = generation;
  last_ = seq;
  resync_ = false;
  missing_.clear();
}

SeqResult PeerSeqTracker::accept(std::uint64_t generation, std::uint64_t seq, bool is_status,
                                 MonoTime first_request_at) {
  SeqResult r;
  r.previous_last = last_;
  if (!generation_) {
    r.first_contact = true;
    r.verdict = SeqVerdict::kKeep;
    r.newest = true;
    reset(generation, seq);
    return r;
  }
  r.remembered_generation = *generation_;
  if (generation < *generation_) {
    r.replay = true;
    return r;
  }
  if (generation > *generation_) {
    // Only a status may announce a new incarnation (§5.8); anything else
    // from an unannounced generation waits for it.
    if (!is_status) return r;
    r.restarted = true;
    r.verdict = SeqVerdict::kKeep;
    r.newest = true;
    reset(generation, seq);
    return r;
  }

  if (seq == last_) {
    r.verdict = SeqVerdict::kDuplicate;
    return r;
  }
  if (seq > last_) {
    r.verdict = SeqVerdict::kKeep;
    r.newest = true;
    if (resync_) {
      reset(generation, seq);
      return r;
    }
    const std::uint64_t gap = seq - last_ - 1;
    if (gap > kMaxGap || missing_.size() + gap > kMaxGap) {
      r.lost_a_lot = true;
      reset(generation, seq);
      return r;
    }
    for (std::uint64_t s = last_ + 1; s < seq; ++s) missing_.emplace(s, first_request_at);
    r.lost = gap;
    last_ = seq;
    return r;
  }
  auto it = missing_.find(seq);
  if (it == missing_.end()) return r;  // older and not missing: drop
  missing_.erase(it);
  r.verdict = SeqVerdict::kKeep;
  r.gap_fill = true;
  r.all_gaps_filled = missing_.empty();
  return r;
}

void PeerSeqTracker::resync() {
  missing_.clear();
  resync_ = true;
}

std::vector<std::uint64_t> PeerSeqTracker::take_due(MonoTime now, MonoTime next) {
  std::vector<std::uint64_t> due;
  for (auto& [seq, at] : missing_) {
    if (at <= now) {
      due.push_back(seq);
      at = next;
    }
  }
  return due;
}

std::optional<MonoTime> PeerSeqTracker::next_due() const {
  std::optional<MonoTime> best;
  for (const auto& [seq, at] : missing_)
    if (!best || at < *best) best = at;
  return best;
}

bool PeerSeqTracker::forget(std::uint64_t seq) { return missing_.erase(seq) != 0; }

}  // namespace vigil::core
