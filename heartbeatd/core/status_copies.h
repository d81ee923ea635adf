// How many identical copies of each of our status messages go out back to
// back (issue 14, "heavy loss is not death"). Pure.
//
// A peer is declared dead after its `dt` without a status (§6.1): at
// keepalive 100 ms / deadtime 500 ms that is 4-5 statuses lost in a row,
// which 20 % random loss does about once a minute (0.2^4 per status, ten
// statuses a second). Each copy is the same datagram, same seq: the
// receiver keeps the first and counts the others as duplicates, exactly
// what it does with the copy of a second medium (§5.1, §5.8: seq == last
// is a duplicate, which refreshes the link and is otherwise dropped), so a
// heartbeat 3.0.6 peer sees nothing unusual. With n copies a status is lost
// only if all n are, so the death needs k·n losses in a row instead of k.
//
// `auto` (configured 0) picks the fewest copies that make the run of
// losses a death needs at least kLossesForDeath long, counting the k
// statuses a deadtime holds minus one (the phase of the check can leave one
// fewer): 0.2^12 ≈ 4e-9 and 0.3^12 ≈ 5e-7 per status. Keepalive 100 ms /
// deadtime 500 ms → k = 4 → 3 copies (+20 datagrams a second per medium);
// heartbeat's default 2 s / 30 s → k = 14 → 1 (nothing extra). Only status
// messages are copied: only they keep a node alive (§5.7 step 6); the
// others are retransmitted on request.
#pragma once

#include "common/clock.h"

namespace vigil::core {

inline constexpr int kLossesForDeath = 12;
inline constexpr int kMaxStatusCopies = 4;

// `configured`: vigil.cf status_copies, 0 for auto; 1..kMaxStatusCopies
// is taken as it is.
int status_copies(Duration keepalive, Duration deadtime, int configured);

}  // namespace vigil::core
