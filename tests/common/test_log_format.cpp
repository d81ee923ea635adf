#include <catch2/catch.hpp>

#include "common/log_format.h"

using namespace vigil::log;

namespace {

LineContext fixed_context(int mday = 24) {
  LineContext ctx;
  ctx.local_time.tm_year = 2026 - 1900;
  ctx.local_time.tm_mon = 10;  // November
  ctx.local_time.tm_mday = mday;
  ctx.local_time.tm_hour = 23;
  ctx.local_time.tm_min = 0;
  ctx.local_time.tm_sec = 6;
  ctx.millisecond = 42;
  ctx.host = "node1";
  ctx.ident = "heartbeat";
  ctx.pid = 104;
  return ctx;
}

}  // namespace

TEST_CASE("log format: syslogmsgfmt on matches heartbeat 3.0.6's logfile line") {
  // heartbeat-3.0.6-logs.txt line 5, byte for byte.
  CHECK(format_file_line(FileLineStyle::kSyslog, fixed_context(), Priority::kWarn,
                         "Logging daemon is disabled --enabling logging daemon is recommended") ==
        "Nov 24 23:00:06 node1 heartbeat: [104]: WARN: Logging daemon is disabled --enabling "
        "logging daemon is recommended\n");
}

TEST_CASE("log format: syslogmsgfmt off gives the heartbeat 1.x/2.0 line") {
  CHECK(format_file_line(FileLineStyle::kClassic, fixed_context(), Priority::kInfo,
                         "Pacemaker support: no") ==
        "heartbeat[104]: 2026/11/24_23:00:06 info: Pacemaker support: no\n");
}

TEST_CASE("log format: a single-digit day is written with two digits") {
  CHECK(format_file_line(FileLineStyle::kSyslog, fixed_context(3), Priority::kInfo, "x") ==
        "Nov 03 23:00:06 node1 heartbeat: [104]: info: x\n");
  CHECK(format_file_line(FileLineStyle::kClassic, fixed_context(3), Priority::kInfo, "x") ==
        "heartbeat[104]: 2026/11/03_23:00:06 info: x\n");
}

TEST_CASE("log format: the stderr line carries time to the millisecond, ident, pid and word") {
  CHECK(format_stderr_line(fixed_context(), Priority::kError, "Cannot open /etc/ha.d/ha.cf") ==
        "2026-11-24 23:00:06.042 heartbeat[104]: ERROR: Cannot open /etc/ha.d/ha.cf\n");
}

TEST_CASE("log format: every priority prints heartbeat's word") {
  const std::pair<Priority, std::string_view> words[] = {
      {Priority::kEmerg, "EMERG"}, {Priority::kAlert, "ALERT"},   {Priority::kCrit, "CRIT"},
      {Priority::kError, "ERROR"}, {Priority::kWarn, "WARN"},     {Priority::kNotice, "notice"},
      {Priority::kInfo, "info"},   {Priority::kDebug, "debug"},
  };
  for (const auto& [p, word] : words) {
    CHECK(priority_word(p) == word);
    CHECK(format_file_line(FileLineStyle::kSyslog, fixed_context(), p, "t") ==
          "Nov 24 23:00:06 node1 heartbeat: [104]: " + std::string(word) + ": t\n");
  }
}

TEST_CASE("log format: priorities map to syslog numbers 0 (EMERG) to 7 (debug)") {
  CHECK(syslog_priority(Priority::kEmerg) == 0);
  CHECK(syslog_priority(Priority::kError) == 3);
  CHECK(syslog_priority(Priority::kWarn) == 4);
  CHECK(syslog_priority(Priority::kInfo) == 6);
  CHECK(syslog_priority(Priority::kDebug) == 7);
}

TEST_CASE("log format: a newline in the text cannot start a forged log line") {
  const std::string forged = "ok\nNov 24 23:00:07 node1 heartbeat: [1]: WARN: node node2: is dead";
  const std::string line = format_file_line(FileLineStyle::kSyslog, fixed_context(), Priority::kInfo, forged);
  CHECK(line == "Nov 24 23:00:06 node1 heartbeat: [104]: info: ok\\x0aNov 24 23:00:07 node1 "
                "heartbeat: [1]: WARN: node node2: is dead\n");
  CHECK(format_stderr_line(fixed_context(), Priority::kInfo, "a\rb\tc\x7f") ==
        "2026-11-24 23:00:06.042 heartbeat[104]: info: a\\x0db\tc\\x7f\n");
}
