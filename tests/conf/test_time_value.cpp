// heartbeat-compat.md §2.2: time syntax and rounding.
#include <catch2/catch.hpp>

#include "conf/time_value.h"

using vigil::conf::format_time;
using vigil::conf::Millis;
using vigil::conf::parse_time;

TEST_CASE("time: a bare number is seconds") {
  CHECK(parse_time("2") == Millis(2000));
  CHECK(parse_time("120") == Millis(120000));
}

TEST_CASE("time: a fraction of a second is allowed") {
  CHECK(parse_time("1.5") == Millis(1500));
  CHECK(parse_time("0.001") == Millis(1));
  CHECK(parse_time(".5") == Millis(500));
}

TEST_CASE("time: ms and msec mean milliseconds, case-insensitively") {
  CHECK(parse_time("500ms") == Millis(500));
  CHECK(parse_time("500MS") == Millis(500));
  CHECK(parse_time("250msec") == Millis(250));
  CHECK(parse_time("1.5ms") == Millis(2));
}

TEST_CASE("time: us and usec mean microseconds, rounded to the nearest ms") {
  CHECK(parse_time("499us") == Millis(0));
  CHECK(parse_time("500us") == Millis(1));
  CHECK(parse_time("501us") == Millis(1));
  CHECK(parse_time("1500usec") == Millis(2));
  CHECK(parse_time("250000us") == Millis(250));
}

TEST_CASE("time: fractions of a millisecond round to nearest") {
  CHECK(parse_time("0.0004") == Millis(0));
  CHECK(parse_time("0.0005") == Millis(1));
  CHECK(parse_time("1.2345") == Millis(1235));
}

TEST_CASE("time: anything after the number other than a unit is invalid") {
  for (const char* bad : {"", "ms", "2s", "2 ms", "2sec", "1,5", "-1", "+1", "1e3", "two", "2m", "1.5.2", "."})
    CHECK_FALSE(parse_time(bad).has_value());
}

TEST_CASE("time: more than 9 integer digits is rejected, not overflowed") {
  CHECK(parse_time("999999999") == Millis(999999999000LL));
  CHECK_FALSE(parse_time("9999999999").has_value());
}

TEST_CASE("time: the printed form parses back to the same value") {
  for (long ms : {0L, 1L, 250L, 1000L, 30000L, 120000L}) {
    CHECK(format_time(Millis(ms)) == std::to_string(ms) + "ms");
    CHECK(parse_time(format_time(Millis(ms))) == Millis(ms));
  }
}
