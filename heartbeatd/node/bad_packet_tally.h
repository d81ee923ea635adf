// What datagrams that fail framing or authentication may cost (issue 15).
//
// Anyone on the heartbeat LAN can send heartbeatd junk as fast as the
// link carries it. Heartbeat logs every such packet (log_badpack, on by
// default, heartbeat-compat.md §5.5/§5.7); a flood then decides how fast
// the log grows and how much of the daemon's time goes to writing it. The
// tally keeps the first line of an episode in heartbeat's words, counts the
// rest per sender and summarises them at a fixed interval, so the log
// written for bad packets is bounded whatever the packet rate:
//
//   * at most kMaxImmediateLines lines at once per interval (the first bad
//     packet of a sender that was quiet through the previous interval),
//   * at most kMaxSources + 1 summary lines per interval.
//
// Senders are the source address the kernel reported, which anyone can
// forge; the table is bounded (kMaxSources), a sender that finds it full
// takes the slot of one that was quiet for a whole interval, or is counted
// under kOtherSources. Counts since start stay in the table for `vigilctl
// status --json`.
//
// Sans-IO: the caller passes `now` and writes the lines it gets back.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"

namespace vigil::node {

enum class BadPacketKind : std::uint8_t {
  kMalformed,        // framing failed (wire::decode)
  kUnauthenticated,  // signature or key id failed (wire::verify)
  kUnreadable,       // the medium refused it: oversized datagram, receive error
};
inline constexpr std::size_t kBadPacketKinds = 3;

struct BadPacketSource {
  std::string address;  // as the kernel reported it; kOtherSources for the overflow
  std::array<std::uint64_t, kBadPacketKinds> counts{};  // since start, by BadPacketKind
  std::uint64_t total() const { return counts[0] + counts[1] + counts[2]; }
};

// One line for the log (warning), with the link and sender for its fields.
struct BadPacketLine {
  std::string text;
  std::string link;
  std::string source;
  // The first packet of an episode has one kind; a summary counts several.
  std::optional<BadPacketKind> kind;
};

class BadPacketTally {
 public:
  static constexpr std::size_t kMaxSources = 16;
  static constexpr std::size_t kMaxImmediateLines = 4;
  static constexpr Duration kSummaryInterval = std::chrono::seconds(60);
  static constexpr std::string_view kOtherSources = "other";

  // Counts one bad datagram from `source` on `link`; `reason` says what was
  // wrong (heartbeat's text where it has one: verify.h, codec.h). Returns
  // the line to log now, if this packet opens an episode for its sender.
  std::optional<BadPacketLine> record(std::string_view source, std::string_view link,
                                      BadPacketKind kind, std::string_view reason, MonoTime now);

  // When summarise() has something to say or to reset; nullopt: nothing.
  std::optional<MonoTime> next_deadline() const;

  // At or after next_deadline(): one line per sender whose packets were
  // counted but not logged since the last summary; empty before it.
  std::vector<BadPacketLine> summarise(MonoTime now);

  // Every sender in the table (kOtherSources last, when used), counts since start.
  std::vector<BadPacketSource> sources() const;

 private:
  struct Entry {
    BadPacketSource source;
    // Since the last summary: packets counted but not logged, by kind, and
    // the last reason and link, for the summary line.
    std::array<std::uint64_t, kBadPacketKinds> pending{};
    std::string last_reason;
    std::string last_link;
    // Logged or summarised during the current interval: its next packet is
    // counted, not logged, until a whole interval passes without one.
    bool active = false;
  };

  Entry& entry_for(std::string_view source);

  std::vector<Entry> entries_;  // at most kMaxSources
  Entry other_{{std::string(kOtherSources), {}}, {}, {}, {}, false};
  std::size_t immediate_lines_ = 0;  // logged at once in the current interval
  MonoTime interval_start_{};
  std::optional<MonoTime> interval_end_;
};

}  // namespace vigil::node
