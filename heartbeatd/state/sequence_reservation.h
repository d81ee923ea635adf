// How far ahead of the sends STATE_DIR/seq is written (§5.8,
// sequence_store.h).
//
// The record holds a reserved high-water mark: every seq sent is at or
// below it, so a restart that resumes at mark + 1 never reuses a pair. A
// write reserves a block of seqs, and the sends inside the block need no
// write at all. The price is a gap at a continued restart: peers see up to
// block - 1 seqs that never came, log them as lost and ask for them (§5.8
// retransmission; the new process answers "seqno too low"). So the block
// is sized by time, not as large as possible: one write per `refresh` of
// keepalives, which at heartbeat-like timers is one write per heartbeat as
// before, and only at short keepalives (where a write per packet was most
// of heartbeatd's syscalls) spreads over several.
//
// The record's time is that of the write, which comes before every send it
// covers, so the continuation window (now - record time < window) only
// gets stricter, never looser, by writing less often.
#pragma once

#include <cstdint>
#include <optional>

#include "common/clock.h"

namespace vigil::state {

struct ReservationPolicy {
  std::uint64_t block = 1;  // seqs covered by one write; 1: a write per send
};

// A write per at most max(window / 8, 100 ms) of keepalives. window / 8
// keeps the record fresh enough that a restart within about half the
// window still continues; the 100 ms floor is systemd's RestartSec: a
// restart never comes sooner, so a fresher record buys no continuation.
ReservationPolicy reservation_policy(Duration continuation_window, Duration keepalive);

// The mark to write before `seq` goes out, given the mark `reserved`
// already on disk; nullopt when `reserved` covers `seq`. The mark stays
// below UINT64_MAX, which marks an ended generation (end_generation()),
// unless `seq` itself is that value.
std::optional<std::uint64_t> mark_to_write(std::uint64_t seq, std::uint64_t reserved,
                                           const ReservationPolicy& policy);

}  // namespace vigil::state
