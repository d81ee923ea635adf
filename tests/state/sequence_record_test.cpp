// The STATE_DIR/seq record (heartbeatd/state/sequence_record.h).
#include <catch2/catch.hpp>

#include "heartbeatd/state/sequence_record.h"

using namespace vigil;
using namespace vigil::state;

namespace {
const SequenceRecord kRecord{"3f1c2a8e-6d7b-4e0f-9a51-0c2d3e4f5a6b", 1700000001, 4242,
                             Duration(123456789)};
}

TEST_CASE("sequence record: a record reads back as written", "[state]") {
  CHECK(parse_sequence_record(format_sequence_record(kRecord)) == kRecord);
}

TEST_CASE("sequence record: every record has the same size, so a rewrite covers the last",
          "[state]") {
  SequenceRecord small{"b", 0, 0, Duration(0)};
  CHECK(format_sequence_record(small).size() == kRecordBytes);
  CHECK(format_sequence_record(kRecord).size() == kRecordBytes);
}

TEST_CASE("sequence record: any flipped byte of the line makes it unreadable", "[state]") {
  const std::string line = format_sequence_record(kRecord);
  const std::size_t end = line.find('\n');
  for (std::size_t i = 0; i < end; ++i) {
    std::string damaged = line;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x01);
    INFO("byte " << i);
    CHECK_FALSE(parse_sequence_record(damaged).has_value());
  }
}

TEST_CASE("sequence record: truncated or empty contents are unreadable", "[state]") {
  const std::string line = format_sequence_record(kRecord);
  for (std::size_t n = 0; n <= line.find('\n'); ++n)
    CHECK_FALSE(parse_sequence_record(line.substr(0, n)).has_value());
}
