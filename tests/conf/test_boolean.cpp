// heartbeat-compat.md §2.3: booleans.
#include <catch2/catch.hpp>

#include "conf/boolean.h"

using vigil::conf::parse_boolean;

TEST_CASE("boolean: true on yes y 1 are true, in any case") {
  for (const char* t : {"true", "on", "yes", "y", "1", "TRUE", "On", "YES", "Y"}) CHECK(parse_boolean(t) == true);
}

TEST_CASE("boolean: false off no n 0 are false, in any case") {
  for (const char* f : {"false", "off", "no", "n", "0", "FALSE", "Off", "NO", "N"}) CHECK(parse_boolean(f) == false);
}

TEST_CASE("boolean: other words are not booleans") {
  for (const char* x : {"", "2", "enable", "disabled", "yess", "t", "f", "o", "nope"})
    CHECK_FALSE(parse_boolean(x).has_value());
}
