// The ownership test of heartbeat-compat.md §3.3, rule by rule.
#include <catch2/catch.hpp>

#include "resourced/status_text.h"

using vigil::resourced::status_text_says_running;

namespace {

struct Case {
  const char* output;
  bool running;
};

void check(const Case* cases, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    INFO("status output: \"" << cases[i].output << "\"");
    CHECK(status_text_says_running(cases[i].output) == cases[i].running);
  }
}

}  // namespace

TEST_CASE("status text: \"not running\" in any case of N, O, T and R means not running") {
  const Case cases[] = {
      {"not running", false},
      {"NOT running", false},
      {"Not Running", false},
      {"nOt rUnning", false},
      {"dummyB is not running\n", false},
      {"httpd: NoT Running.", false},
  };
  check(cases, std::size(cases));
}

TEST_CASE("status text: \"unning\" of the not-running rule must be lower-case") {
  // "NOT RUNNING" matches neither the not-running nor the running glob,
  // and has no "OK": heartbeat reads it as not running by rule 3.
  CHECK_FALSE(status_text_says_running("NOT RUNNING"));
  // "not RUNNING OK": rule 1 fails on "RUNNING", rule 2 finds "OK".
  CHECK(status_text_says_running("not RUNNING OK"));
}

TEST_CASE("status text: several spaces between not and running still mean not running") {
  CHECK_FALSE(status_text_says_running("not   running"));
  CHECK_FALSE(status_text_says_running("daemon is not        Running"));
}

TEST_CASE("status text: the glob after \"not \" lets any text sit before running") {
  // heartbeat's pattern is *[Nn][Oo][Tt]\ *[Rr]unning*: the second * is a glob.
  CHECK_FALSE(status_text_says_running("is not currently running"));
  CHECK_FALSE(status_text_says_running("cannot connect\nbut running"));
  CHECK_FALSE(status_text_says_running("Not sure; running"));
}

TEST_CASE("status text: \"not\" must be followed by a space, not a TAB or nothing") {
  CHECK(status_text_says_running("not\trunning"));
  CHECK(status_text_says_running("notrunning"));
  CHECK(status_text_says_running("Note: running"));
}

TEST_CASE("status text: running or Running without not means running") {
  const Case cases[] = {
      {"running", true},
      {"Running", true},
      {"httpd (pid 123) is running...", true},
      {"INFO:  Running OK", true},
      {" * nginx is Running", true},
      {"xrunningx", true},
  };
  check(cases, std::size(cases));
}

TEST_CASE("status text: an upper-case OK alone means running") {
  CHECK(status_text_says_running("OK"));
  CHECK(status_text_says_running("status: OK\n"));
  CHECK_FALSE(status_text_says_running("ok"));
  CHECK_FALSE(status_text_says_running("Ok"));
}

TEST_CASE("status text: a not-running text wins over an OK") {
  CHECK_FALSE(status_text_says_running("OK: not running"));
}

TEST_CASE("status text: anything else means not running") {
  const Case cases[] = {
      {"", false},        {"stopped", false}, {"INFO:  Resource is stopped", false},
      {"is dead", false}, {"RUNNING", false}, {"runnin", false},
  };
  check(cases, std::size(cases));
}
