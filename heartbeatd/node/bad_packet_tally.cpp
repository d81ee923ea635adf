#include "heartbeatd/node/bad_packet_tally.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace vigil::node {

namespace {

std::size_t index_of(BadPacketKind kind) { return static_cast<std::size_t>(kind); }

std::uint64_t sum(const std::array<std::uint64_t, kBadPacketKinds>& a) {
  return a[0] + a[1] + a[2];
}

std::string summary_text(std::string_view source,
                         const std::array<std::uint64_t, kBadPacketKinds>& n, long long seconds,
                         std::string_view link, std::string_view reason) {
  std::string kinds;
  auto add = [&](std::uint64_t count, std::string_view what) {
    if (count == 0) return;
    if (!kinds.empty()) kinds += ", ";
    kinds += fmt::format("{} {}", count, what);
  };
  add(n[index_of(BadPacketKind::kMalformed)], "malformed");
  add(n[index_of(BadPacketKind::kUnauthenticated)], "failed authentication");
  add(n[index_of(BadPacketKind::kUnreadable)], "unreadable");
  return fmt::format("{} more bad packets from {} in the last {} s ({}); last on {}: {}", sum(n),
                     source, seconds, kinds, link, reason);
}

}  // namespace

BadPacketTally::Entry& BadPacketTally::entry_for(std::string_view source) {
  for (auto& e : entries_)
    if (e.source.address == source) return e;
  if (entries_.size() < kMaxSources) {
    entries_.push_back(Entry{{std::string(source), {}}, {}, {}, {}, false});
    return entries_.back();
  }
  // A sender quiet for a whole interval has nothing left to report; its
  // totals move to the overflow entry so the sums stay right.
  auto quiet = std::find_if(entries_.begin(), entries_.end(),
                            [](const Entry& e) { return !e.active && sum(e.pending) == 0; });
  if (quiet == entries_.end()) return other_;
  for (std::size_t k = 0; k < kBadPacketKinds; ++k)
    other_.source.counts[k] += quiet->source.counts[k];
  *quiet = Entry{{std::string(source), {}}, {}, {}, {}, false};
  return *quiet;
}

std::optional<BadPacketLine> BadPacketTally::record(std::string_view source, std::string_view link,
                                                    BadPacketKind kind, std::string_view reason,
                                                    MonoTime now) {
  Entry& e = entry_for(source);
  ++e.source.counts[index_of(kind)];
  if (!interval_end_) {
    interval_start_ = now;
    interval_end_ = now + kSummaryInterval;
  }
  if (!e.active && immediate_lines_ < kMaxImmediateLines) {
    e.active = true;
    ++immediate_lines_;
    const long long every =
        std::chrono::duration_cast<std::chrono::seconds>(kSummaryInterval).count();
    return BadPacketLine{
        fmt::format("{} (from {} on {}; more bad packets from it are counted and reported "
                    "every {} s)",
                    reason, e.source.address, link, every),
        std::string(link), e.source.address, kind};
  }
  e.active = true;
  ++e.pending[index_of(kind)];
  // assign() reuses the strings' storage: no allocation per packet once
  // the longest reason has been seen.
  e.last_reason.assign(reason);
  e.last_link.assign(link);
  return std::nullopt;
}

std::optional<MonoTime> BadPacketTally::next_deadline() const { return interval_end_; }

std::vector<BadPacketLine> BadPacketTally::summarise(MonoTime now) {
  std::vector<BadPacketLine> lines;
  if (!interval_end_ || now < *interval_end_) return lines;
  const long long seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now - interval_start_).count();
  bool any_active = false;
  auto close_interval = [&](Entry& e) {
    const bool counted = sum(e.pending) > 0;
    if (counted)
      lines.push_back(
          {summary_text(e.source.address, e.pending, seconds, e.last_link, e.last_reason),
           e.last_link, e.source.address, std::nullopt});
    // Still sending: the next interval reports it again in one line.
    e.active = counted;
    any_active = any_active || counted;
    e.pending = {};
  };
  for (auto& e : entries_) close_interval(e);
  close_interval(other_);
  immediate_lines_ = 0;
  interval_start_ = now;
  interval_end_ = any_active ? std::optional<MonoTime>(now + kSummaryInterval) : std::nullopt;
  return lines;
}

std::vector<BadPacketSource> BadPacketTally::sources() const {
  std::vector<BadPacketSource> out;
  out.reserve(entries_.size() + 1);
  for (const auto& e : entries_) out.push_back(e.source);
  if (other_.source.total() > 0) out.push_back(other_.source);
  return out;
}

}  // namespace vigil::node
