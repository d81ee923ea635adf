#include "common/log_format.h"

#include <sys/time.h>
#include <unistd.h>

#include <fmt/format.h>

namespace vigil::log {

namespace {

// strftime's %b follows LC_TIME; heartbeat's lines (and every watcher's
// regex) use the C locale's names.
constexpr std::string_view kMonths[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string_view month_name(int tm_mon) {
  return (tm_mon >= 0 && tm_mon < 12) ? kMonths[tm_mon] : "???";
}

// Texts carry script output and peer-supplied node names; a newline in one
// must not start a line a log watcher would take for heartbeat's own.
std::string escape_controls(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string format_file_line(FileLineStyle style, const LineContext& ctx, Priority p,
                             std::string_view text) {
  const std::tm& t = ctx.local_time;
  if (style == FileLineStyle::kSyslog) {
    return fmt::format("{} {:02} {:02}:{:02}:{:02} {} {}: [{}]: {}: {}\n", month_name(t.tm_mon),
                       t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, ctx.host, ctx.ident, ctx.pid,
                       priority_word(p), escape_controls(text));
  }
  return fmt::format("{}[{}]: {:04}/{:02}/{:02}_{:02}:{:02}:{:02} {}: {}\n", ctx.ident, ctx.pid,
                     t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec,
                     priority_word(p), escape_controls(text));
}

std::string format_stderr_line(const LineContext& ctx, Priority p, std::string_view text) {
  const std::tm& t = ctx.local_time;
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03} {}[{}]: {}: {}\n",
                     t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec,
                     ctx.millisecond, ctx.ident, ctx.pid, priority_word(p), escape_controls(text));
}

LineContext current_line_context(std::string_view host, std::string_view ident) {
  LineContext ctx;
  timeval tv{};
  gettimeofday(&tv, nullptr);
  time_t secs = tv.tv_sec;
  localtime_r(&secs, &ctx.local_time);
  ctx.millisecond = static_cast<int>(tv.tv_usec / 1000);
  ctx.host = host;
  ctx.ident = ident;
  ctx.pid = getpid();
  return ctx;
}

}  // namespace vigil::log
