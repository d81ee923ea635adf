#include "conf/ha_cf.h"

#include "conf/ha_cf_parser.h"
#include "conf/text.h"

namespace vigil::conf {

namespace {

// §2.1: option directives split their values on blanks *and commas*.
constexpr std::string_view kValueDelims = " \t,\r\n\f";
constexpr std::string_view kBlanks = " \t\r\n\f";
// heartbeat reads ha.cf with a fixed line buffer of this size (§2.1).
constexpr std::size_t kMaxLine = 5120;

void parse_line(detail::HaCfParser& p, std::string_view raw) {
  // §2.1: a '#' anywhere starts a comment, so '#' can never be in a value.
  std::string_view text = raw.substr(0, raw.find('#'));
  text = trim(text);
  if (text.empty()) return;
  if (raw.size() > kMaxLine) {
    p.error("line longer than " + std::to_string(kMaxLine) + " bytes",
            "expected shorter lines, as heartbeat reads at most that much");
    return;
  }
  const std::size_t name_end = text.find_first_of(kBlanks);
  std::string name(text.substr(0, name_end));
  const std::string_view rest =
      name_end == std::string_view::npos ? std::string_view{} : trim(text.substr(name_end));

  // The compiled-in alias of heartbeat (config.c DIRTYALIASKLUDGE).
  if (name == "udp") {
    p.warn("directive 'udp' replaced by 'bcast'");
    name = "bcast";
  }
  p.directive = name;

  const detail::Directive* d = detail::find_directive(name);
  if (d == nullptr) d = detail::find_medium_directive(name);
  if (d == nullptr) {
    p.error("Illegal directive [" + name + "]",
            "expected an ha.cf directive of heartbeat 3.0.x (see ha.cf(5))");
    return;
  }
  p.seen[name] = p.line;
  if (d->style == detail::Style::kWholeLine) {
    if (rest.empty()) {
      p.error(name + " without a value", "expected `" + name + " ...` with its arguments");
      return;
    }
    d->handler(p, rest);
    return;
  }
  const std::vector<std::string> values = split_any(rest, kValueDelims);
  if (values.empty()) {
    p.error(name + " without a value", "expected `" + name + " VALUE`");
    return;
  }
  // `keepalive 2 3` sets keepalive twice; `node a,b` adds two nodes (§2.1).
  for (const std::string& v : values) d->handler(p, v);
}

}  // namespace

int count_lines(std::string_view text) {
  return static_cast<int>(split_lines(text).size());
}

HaCf parse_ha_cf(std::string_view text, std::string_view file, Diagnostics& diag) {
  detail::HaCfParser p(file, diag);
  const std::vector<std::string_view> lines = split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    p.line = static_cast<int>(i + 1);
    parse_line(p, lines[i]);
  }
  p.last_line = static_cast<int>(lines.size());
  detail::finish_ha_cf(p);
  return std::move(p.cf);
}

}  // namespace vigil::conf
