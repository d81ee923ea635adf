// STATE_DIR/seq: where the last sequenced message went out, rewritten (not
// fsync'ed) before every sequenced send. One text line,
//
//   vigil-seq1 <boot_id> <generation> <seq> <since_boot_us> <check>\n
//
// where <check> is 16 hex digits of BLAKE2b over everything before it, so a
// torn or foreign file reads as "no record" rather than as numbers. The
// line is padded with spaces to kRecordBytes so every rewrite covers the
// previous one completely.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace vigil::state {

inline constexpr std::string_view kSequenceFile = "seq";
inline constexpr std::size_t kRecordBytes = 128;

struct SequenceRecord {
  std::string boot_id;
  std::uint64_t generation = 0;
  std::uint64_t last_seq = 0;  // 0: nothing sent yet in this generation
  Duration sent_at{};          // since_boot() when last_seq was recorded

  bool operator==(const SequenceRecord&) const = default;
};

// Exactly kRecordBytes bytes. The boot id must be at most 64 printable
// non-space bytes (the kernel's is a 36-byte UUID).
std::string format_sequence_record(const SequenceRecord& record);
std::optional<SequenceRecord> parse_sequence_record(std::string_view bytes);

}  // namespace vigil::state
