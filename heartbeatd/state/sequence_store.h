// Generation and sequence-number continuity across heartbeatd restarts
// (heartbeat-compat.md §5.8).
//
// Peers drop any message whose (generation, seq) they have seen before, or
// whose generation is older than the newest they know: a sender must never
// reuse a pair. heartbeat guarantees that by bumping the generation at
// every start, which peers log as "Heartbeat restart on node ...". vigil
// does the same except after a short restart of heartbeatd alone, where it
// carries on in the same generation so that peers see nothing but a gap
// (architecture.md: "a restart shorter than deadtime ... does not look like
// a node reboot to peers").
//
// How a reuse is ruled out:
//  * STATE_DIR/generation (decimal) is written durably (fsync of file and
//    directory) before a new generation is used, so after any crash it
//    holds at least every generation ever sent.
//  * STATE_DIR/seq (sequence_record.h) holds a reserved mark at or above
//    every seq sent: the caller calls record_sent() and only then sends,
//    and record_sent() rewrites the record when the seq is beyond the mark,
//    reserving a block ahead (sequence_reservation.h). It is not fsync'ed:
//    the page cache survives kill -9, and a machine crash, which may lose
//    or tear it, also changes the boot id.
//  * At open, the generation continues only if the record is intact, from
//    this boot, names the generation in the generation file, and was
//    written less than `continuation_window` ago (written before the sends
//    it covers, so also the last send was); sending resumes at its mark
//    + 1. In every other case the new generation is
//    max(generation file, record's generation) + 1, written durably.
//  * The record file is locked (flock) for the store's life, so a second
//    heartbeatd on the same directory fails to open instead of sending
//    the same pairs.
// The caller passes a window below the peers' deadtime, so a continued
// generation never meets a peer that already declared this node dead.
//  * After a graceful shutdown (§6.7: peers were sent `shutdone` and count
//    this node as gone) end_generation() marks the record as used up, so
//    the next start is a new generation however soon it comes: peers must
//    see a new life, as they do from heartbeat, not a continuation of the
//    one that said goodbye.
#pragma once

#include <cstdint>
#include <memory>

#include "common/clock.h"
#include "common/result.h"
#include "heartbeatd/state/sequence_reservation.h"
#include "heartbeatd/state/state_env.h"

namespace vigil::state {

inline constexpr std::string_view kGenerationFile = "generation";

struct SequenceStart {
  std::uint64_t generation = 0;
  std::uint64_t first_seq = 1;  // the seq of the first sequenced message
  bool continued = false;       // same generation as the previous process
  // No (readable) generation file existed; the generation was seeded from
  // the clock. heartbeat logs "WARN: No Previous generation - starting at
  // <n>" in this case; heartbeatd should too.
  bool generation_seeded = false;
};

class SequenceStore {
 public:
  // Opens the state in `env`, decides the generation and the first seq,
  // and makes the decision durable before returning. Errors: I/O failures,
  // the state directory in use by another process. `env` must outlive the
  // store. `policy`: how many seqs one write of the record reserves.
  static Result<SequenceStore> open(StateEnv& env, Duration continuation_window,
                                    ReservationPolicy policy = {});

  const SequenceStart& start() const { return start_; }

  // Records that `seq` of the current generation is about to be sent. Call
  // it BEFORE handing the datagram to the kernel; if it fails, do not send
  // that seq (a restart could reuse it). A seq not above the last one
  // recorded (or below start().first_seq) is refused: sending it again
  // would be the reuse this store exists to prevent. Retransmitting a
  // message already recorded (NS_rexmit, §5.8) needs no new record. Writes
  // only when `seq` is beyond the reserved mark.
  Status record_sent(std::uint64_t seq);

  // This generation is over (graceful shutdown, after the last send): the
  // record is rewritten with the largest seq, which never continues, and
  // every later record_sent() is refused.
  Status end_generation();

 private:
  SequenceStore(StateEnv& env, std::unique_ptr<RecordFile> record, std::string boot_id,
                SequenceStart start, ReservationPolicy policy)
      : env_(&env),
        record_(std::move(record)),
        boot_id_(std::move(boot_id)),
        start_(start),
        policy_(policy),
        last_recorded_(start.first_seq - 1),
        reserved_(start.first_seq - 1) {}

  StateEnv* env_;
  std::unique_ptr<RecordFile> record_;
  std::string boot_id_;
  SequenceStart start_;
  ReservationPolicy policy_;
  std::uint64_t last_recorded_;  // the highest seq handed to record_sent()
  std::uint64_t reserved_;       // the mark in the record: >= last_recorded_
};

}  // namespace vigil::state
