#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include <catch2/catch.hpp>

#include "common/log.h"
#include "common/log_fields.h"
#include "common/log_journald.h"
#include "tests/common/temp_dir.h"

using namespace vigil;
using namespace vigil::log;
using vigil::test::read_file;
using vigil::test::TempDir;

namespace {

// Restores a quiet, file-less logger when a test ends, pass or fail.
struct LogReset {
  ~LogReset() {
    LogConfig quiet;
    quiet.force_backend = Backend::kStderr;
    (void)init(quiet);
  }
};

// Sends fd 2 to a file while alive.
class StderrRedirect {
 public:
  explicit StderrRedirect(const std::string& path) : saved_(dup(STDERR_FILENO)) {
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, STDERR_FILENO);
    close(fd);
  }
  ~StderrRedirect() {
    dup2(saved_, STDERR_FILENO);
    close(saved_);
  }

 private:
  int saved_;
};

LogConfig files_only(const TempDir& dir) {
  LogConfig c;
  c.ident = "heartbeat";
  c.force_backend = Backend::kNone;
  c.logfile = dir.file("ha-log");
  c.debugfile = dir.file("ha-debug");
  return c;
}

std::size_t count_of(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

// `s` with every digit replaced by '9', so a line with a real timestamp
// can be compared with a fixed pattern (std::regex trips g++ 12's
// -Wmaybe-uninitialized under the sanitizers).
std::string digits_as_nines(std::string s) {
  for (char& c : s) {
    if (c >= '0' && c <= '9') c = '9';
  }
  return s;
}

std::string host_name() {
  char buf[256] = {};
  gethostname(buf, sizeof(buf) - 1);
  return buf;
}

}  // namespace

TEST_CASE("log fields: journald's naming rules decide which names are valid") {
  CHECK(valid_field_name("VIGIL_NODE"));
  CHECK(valid_field_name("MESSAGE_ID"));
  CHECK(valid_field_name("A1"));
  CHECK(valid_field_name(std::string(64, 'A')));
  CHECK_FALSE(valid_field_name(""));
  CHECK_FALSE(valid_field_name("vigil_node"));
  CHECK_FALSE(valid_field_name("_PID"));
  CHECK_FALSE(valid_field_name("1ABC"));
  CHECK_FALSE(valid_field_name("VIGIL-NODE"));
  CHECK_FALSE(valid_field_name("VIGIL NODE"));
  CHECK_FALSE(valid_field_name(std::string(65, 'A')));
}

TEST_CASE("log fields: bad and reserved names are dropped, good ones kept in order") {
  const CheckedFields c = check_fields(
      {{"VIGIL_NODE", "node2"}, {"bad", "x"}, {"MESSAGE", "forged"}, {"VIGIL_LINK", "eth0"}});
  CHECK(c.kept == Fields{{"VIGIL_NODE", "node2"}, {"VIGIL_LINK", "eth0"}});
  CHECK(c.dropped == std::vector<std::string>{"bad", "MESSAGE"});
}

TEST_CASE("log capture: records priority, text and fields while alive, nothing after") {
  LogReset reset;
  LogConfig c;
  c.force_backend = Backend::kNone;
  REQUIRE(init(c).ok());
  std::vector<CapturedEvent> seen;
  {
    ScopedCapture capture;
    warn("node node2: is dead", {{"VIGIL_NODE", "node2"}, {"VIGIL_EVENT", "node-dead"}});
    seen = capture.events();
    CHECK(capture.contains("is dead"));
    CHECK_FALSE(capture.contains("is up"));
  }
  info("after the capture");
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].priority == Priority::kWarn);
  CHECK(seen[0].text == "node node2: is dead");
  CHECK(seen[0].fields == Fields{{"VIGIL_NODE", "node2"}, {"VIGIL_EVENT", "node-dead"}});
  CHECK(seen[0].dropped_fields.empty());
}

TEST_CASE("log capture: an event with a bad field name is written without it, and the drop is seen") {
  LogReset reset;
  LogConfig c;
  c.force_backend = Backend::kNone;
  REQUIRE(init(c).ok());
  ScopedCapture capture;
  info("Link node2:eth0 up.", {{"vigil_link", "eth0"}, {"VIGIL_NODE", "node2"}});
  REQUIRE(capture.events().size() == 1);
  CHECK(capture.events()[0].fields == Fields{{"VIGIL_NODE", "node2"}});
  CHECK(capture.events()[0].dropped_fields == std::vector<std::string>{"vigil_link"});
}

TEST_CASE("log debug: debug events are written only while the debug level is above 0") {
  LogReset reset;
  LogConfig c;
  c.force_backend = Backend::kNone;
  REQUIRE(init(c).ok());
  ScopedCapture capture;
  debug("hidden");
  set_debug_level(1);
  debug("shown");
  set_debug_level(-5);
  CHECK(debug_level() == 0);
  debug("hidden again");
  REQUIRE(capture.events().size() == 1);
  CHECK(capture.events()[0].text == "shown");
}

TEST_CASE("log files: logfile takes non-debug lines, debugfile takes every line") {
  LogReset reset;
  TempDir dir;
  LogConfig c = files_only(dir);
  c.debug = 1;
  REQUIRE(init(c).ok());
  info("Configuration validated. Starting heartbeat 3.0.6");
  debug("a debug detail");
  const std::string logfile = read_file(dir.file("ha-log"));
  const std::string debugfile = read_file(dir.file("ha-debug"));
  CHECK(count_of(logfile, "\n") == 1);
  CHECK(logfile.find("a debug detail") == std::string::npos);
  CHECK(count_of(debugfile, "\n") == 2);
  CHECK(debugfile.find("debug: a debug detail") != std::string::npos);
  // "Nov 24 23:00:06 node1 heartbeat: [104]: info: ..."
  REQUIRE(logfile.size() > 16);
  CHECK(std::string("JanFebMarAprMayJunJulAugSepOctNovDec").find(logfile.substr(0, 3)) %
            3 == 0);
  CHECK(digits_as_nines(logfile.substr(3, 13)) == " 99 99:99:99 ");
  CHECK(logfile.substr(16) == host_name() + " heartbeat: [" + std::to_string(getpid()) +
                                  "]: info: Configuration validated. Starting heartbeat 3.0.6\n");
}

TEST_CASE("log files: syslogmsgfmt off writes ident[pid]: YYYY/MM/DD_HH:MM:SS lines") {
  LogReset reset;
  TempDir dir;
  LogConfig c = files_only(dir);
  c.syslogmsgfmt = false;
  REQUIRE(init(c).ok());
  warn("Late heartbeat: Node node2: interval 3010 ms");
  const std::string prefix = "heartbeat[" + std::to_string(getpid()) + "]: ";
  const std::string line = read_file(dir.file("ha-log"));
  REQUIRE(line.size() > prefix.size() + 20);
  CHECK(line.substr(0, prefix.size()) == prefix);
  CHECK(digits_as_nines(line.substr(prefix.size(), 20)) == "9999/99/99_99:99:99 ");
  CHECK(line.substr(prefix.size() + 20) == "WARN: Late heartbeat: Node node2: interval 3010 ms\n");
}

TEST_CASE("log files: one path given as logfile and debugfile gets each line once") {
  LogReset reset;
  TempDir dir;
  LogConfig c = files_only(dir);
  c.debugfile = c.logfile;
  REQUIRE(init(c).ok());
  info("once");
  CHECK(count_of(read_file(dir.file("ha-log")), "once") == 1);
}

TEST_CASE("log files: a file that cannot be opened is reported once on stderr and skipped") {
  LogReset reset;
  TempDir dir;
  LogConfig c = files_only(dir);
  c.logfile = dir.file("no-such-dir/ha-log");
  std::string err;
  {
    StderrRedirect redirect(dir.file("stderr"));
    REQUIRE(init(c).ok());
    info("first");
    info("second");
    reopen();  // still failing: must not report again
    info("third");
  }
  err = read_file(dir.file("stderr"));
  CHECK(count_of(err, "cannot open log file") == 1);
  CHECK(err.find("no-such-dir/ha-log") != std::string::npos);
  // The other file still works.
  CHECK(count_of(read_file(dir.file("ha-debug")), "\n") == 3);
}

TEST_CASE("log files: after logrotate moves the file, reopen() starts a new one at the path") {
  LogReset reset;
  TempDir dir;
  REQUIRE(init(files_only(dir)).ok());
  info("before rotation");
  REQUIRE(std::rename(dir.file("ha-log").c_str(), dir.file("ha-log.1").c_str()) == 0);
  info("still into the moved file");
  reopen();
  info("after rotation");
  const std::string old_file = read_file(dir.file("ha-log.1"));
  const std::string new_file = read_file(dir.file("ha-log"));
  CHECK(old_file.find("before rotation") != std::string::npos);
  CHECK(old_file.find("still into the moved file") != std::string::npos);
  CHECK(old_file.find("after rotation") == std::string::npos);
  CHECK(new_file.find("after rotation") != std::string::npos);
  CHECK(new_file.find("before rotation") == std::string::npos);
}

TEST_CASE("log files: reopen() keeps appending to a file that was not moved") {
  LogReset reset;
  TempDir dir;
  REQUIRE(init(files_only(dir)).ok());
  info("one");
  reopen();
  info("two");
  CHECK(count_of(read_file(dir.file("ha-log")), "\n") == 2);
}

TEST_CASE("log init: a logfacility that is not a syslog facility is an error") {
  LogReset reset;
  LogConfig c;
  c.force_backend = Backend::kNone;
  c.logfacility = "local9";
  const Status s = init(c);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message == "Log facility(local9) not valid");
  c.logfacility = "none";
  CHECK(init(c).ok());
}

TEST_CASE("log journald: JOURNAL_STREAM matches only the descriptor's own device and inode") {
  TempDir dir;
  const std::string path = dir.file("stream");
  int fd = open(path.c_str(), O_WRONLY | O_CREAT, 0600);
  REQUIRE(fd >= 0);
  struct stat st {};
  REQUIRE(fstat(fd, &st) == 0);
  const std::string mine =
      std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  const std::string other =
      std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino + 1);
  CHECK(journal_stream_matches(mine.c_str(), fd));
  CHECK_FALSE(journal_stream_matches(other.c_str(), fd));
  CHECK_FALSE(journal_stream_matches((mine + "x").c_str(), fd));
  CHECK_FALSE(journal_stream_matches("garbage", fd));
  CHECK_FALSE(journal_stream_matches(nullptr, fd));
  close(fd);
}

TEST_CASE("log init: automatic backend is journald when stderr is the journal stream, else stderr") {
  LogReset reset;
  struct stat st {};
  REQUIRE(fstat(STDERR_FILENO, &st) == 0);
  const std::string stream = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  LogConfig c;  // force_backend = kAuto

  unsetenv("JOURNAL_STREAM");
  REQUIRE(init(c).ok());
  CHECK(active_backend() == Backend::kStderr);

  setenv("JOURNAL_STREAM", stream.c_str(), 1);
  REQUIRE(init(c).ok());
  CHECK(active_backend() == Backend::kJournald);
  unsetenv("JOURNAL_STREAM");
}

TEST_CASE("log journald: an entry carries MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, facility and fields") {
  const Fields fields = {{"VIGIL_NODE", "node2"}, {"VIGIL_EVENT", "node-dead"}};
  const LineContext ctx;
  const Event event{Priority::kWarn, "node node2: is dead", fields, ctx};
  CHECK(journal_items(event, "heartbeat", 3) ==
        std::vector<std::string>{"MESSAGE=node node2: is dead", "PRIORITY=4",
                                 "SYSLOG_IDENTIFIER=heartbeat", "SYSLOG_FACILITY=3",
                                 "VIGIL_NODE=node2", "VIGIL_EVENT=node-dead"});
  CHECK(journal_items(event, "ipd", std::nullopt).size() == 5);
}
