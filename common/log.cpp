// The logger's one piece of process state: the sinks chosen by init(), the
// debug level and the live captures. Daemons are single-threaded, so a
// plain static is enough.
#include "common/log.h"

#include <errno.h>  // program_invocation_short_name
#include <sys/utsname.h>
#include <syslog.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "common/log_fields.h"
#include "common/log_file.h"
#include "common/log_format.h"
#include "common/log_journald.h"
#include "common/log_message_ids.h"
#include "common/log_sink.h"
#include "common/log_stderr.h"
#include "common/log_syslog.h"

namespace vigil::log {

namespace {

std::string node_name() {
  utsname u{};
  if (uname(&u) != 0) return "localhost";
  return u.nodename;
}

std::string default_ident() {
  const char* name = program_invocation_short_name;
  return (name != nullptr && *name != '\0') ? name : "vigil";
}

struct Logger {
  Logger() : host(node_name()), ident(default_ident()) {
    sinks.push_back(std::make_unique<StderrSink>());
  }

  std::string host;
  std::string ident;
  int debug = 0;
  Backend backend = Backend::kStderr;
  std::vector<std::unique_ptr<Sink>> sinks;
  std::vector<ScopedCapture*> captures;
};

Logger& logger() {
  // Never destroyed: events logged from other static destructors at exit
  // must still find a logger.
  static Logger* instance = new Logger;
  return *instance;
}

Backend resolve(Backend wanted) {
  if (wanted != Backend::kAuto) return wanted;
  return stderr_is_journal() ? Backend::kJournald : Backend::kStderr;
}

// A catalogued VIGIL_EVENT gets its MESSAGE_ID here, once for every
// backend and capture, so no call site has to repeat the id (and none can
// pair a kind with the wrong one). A MESSAGE_ID the caller set wins.
void add_message_id(Fields& fields, std::string_view ident) {
  const std::string* event = nullptr;
  for (const auto& [name, value] : fields) {
    if (name == "MESSAGE_ID") return;
    if (name == "VIGIL_EVENT") event = &value;
  }
  if (event == nullptr) return;
  if (auto id = message_id_for(*event, ident)) fields.emplace_back("MESSAGE_ID", std::string(*id));
}

}  // namespace


void write_lines(Priority p, std::string_view text, const Fields& fields) {
  while (!text.empty()) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    if (end > 0) write(p, text.substr(0, end), fields);
    text.remove_prefix(std::min(end + 1, text.size()));
  }
}

void write(Priority p, std::string_view text, const Fields& fields) {
  Logger& lg = logger();
  if (p == Priority::kDebug && lg.debug <= 0) return;

  CheckedFields checked = check_fields(fields);
  add_message_id(checked.kept, lg.ident);
  const LineContext ctx = current_line_context(lg.host, lg.ident);
  const Event event{p, text, checked.kept, ctx};
  for (auto& sink : lg.sinks) sink->write(event);
  for (ScopedCapture* capture : lg.captures) {
    capture->record(CapturedEvent{p, std::string(text), checked.kept, checked.dropped});
  }
}

Status init(const LogConfig& config) {
  std::optional<int> facility;
  if (config.logfacility && *config.logfacility != "none") {
    facility = syslog_facility(*config.logfacility);
    if (!facility) return Error{"Log facility(" + *config.logfacility + ") not valid"};
  }

  Logger& lg = logger();
  // Sinks capture the ident (openlog keeps its pointer), so the old ones go
  // before the new ones are made.
  lg.sinks.clear();
  lg.ident = config.ident;
  lg.debug = std::max(0, config.debug);
  lg.backend = resolve(config.force_backend);

  if (lg.backend == Backend::kJournald) {
    std::optional<int> code;
    if (facility) code = *facility >> 3;  // journald wants the bare number
    lg.sinks.push_back(std::make_unique<JournaldSink>(config.ident, code));
  } else if (lg.backend == Backend::kStderr) {
    lg.sinks.push_back(std::make_unique<StderrSink>());
  }
  // Under journald the event is in the journal already; a second copy via
  // syslog(3) would show every line twice in journalctl.
  if (facility && lg.backend != Backend::kJournald) {
    lg.sinks.push_back(std::make_unique<SyslogSink>(config.ident, *facility));
  }

  const FileLineStyle style =
      config.syslogmsgfmt ? FileLineStyle::kSyslog : FileLineStyle::kClassic;
  if (config.logfile && (!config.debugfile || *config.debugfile != *config.logfile)) {
    lg.sinks.push_back(std::make_unique<FileSink>(*config.logfile, style, false));
  }
  if (config.debugfile) {
    lg.sinks.push_back(std::make_unique<FileSink>(*config.debugfile, style, true));
  }
  return ok_status();
}

void reopen() {
  for (auto& sink : logger().sinks) sink->reopen();
}

int debug_level() { return logger().debug; }

void set_debug_level(int level) { logger().debug = std::max(0, level); }

Backend active_backend() { return logger().backend; }

ScopedCapture::ScopedCapture() { logger().captures.push_back(this); }

ScopedCapture::~ScopedCapture() {
  auto& caps = logger().captures;
  caps.erase(std::remove(caps.begin(), caps.end(), this), caps.end());
}

bool ScopedCapture::contains(std::string_view needle) const {
  return std::any_of(events_.begin(), events_.end(), [&](const CapturedEvent& e) {
    return e.text.find(needle) != std::string::npos;
  });
}

}  // namespace vigil::log
