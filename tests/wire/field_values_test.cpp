// Numeric field values (heartbeat-compat.md §5.4, §5.6, §5.9).
#include <catch2/catch.hpp>

#include "heartbeatd/wire/field_values.h"

using namespace vigil::wire;

TEST_CASE("field values: hex parses heartbeat's %lx output, either case", "[wire][values]") {
  CHECK(parse_hex("0") == 0u);
  CHECK(parse_hex("1b58") == 7000u);
  CHECK(parse_hex("6B0614D6") == 0x6b0614d6u);
  CHECK(parse_hex("ffffffffffffffff") == UINT64_MAX);
}

TEST_CASE("field values: hex rejects empty, signs, prefixes, junk and overflow", "[wire][values]") {
  for (const char* bad : {"", "-1", "+1", "0x10", " 1", "1 ", "1g", "10000000000000000",
                          "ffffffffffffffff0"})
    CHECK_FALSE(parse_hex(bad).has_value());
}

TEST_CASE("field values: decimal parses NS_rexmit seqs and ttl", "[wire][values]") {
  CHECK(parse_decimal("0") == 0u);
  CHECK(parse_decimal("42") == 42u);
  CHECK(parse_decimal("18446744073709551615") == UINT64_MAX);
}

TEST_CASE("field values: decimal rejects empty, signs, hex digits, junk and overflow",
          "[wire][values]") {
  for (const char* bad : {"", "-1", "+1", "1a", " 1", "1 ", "1.0", "18446744073709551616"})
    CHECK_FALSE(parse_decimal(bad).has_value());
}

TEST_CASE("field values: formatting is lowercase without leading zeros", "[wire][values]") {
  CHECK(format_hex(0) == "0");
  CHECK(format_hex(0x6b0614d6) == "6b0614d6");
  CHECK(format_hex(UINT64_MAX) == "ffffffffffffffff");
  CHECK(format_decimal(0) == "0");
  CHECK(format_decimal(7000) == "7000");
}
