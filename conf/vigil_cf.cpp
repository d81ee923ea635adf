#include "conf/vigil_cf.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "conf/text.h"
#include "conf/time_value.h"

namespace vigil::conf {

namespace {

// What a directive's value failed, as "expected ..." text; empty when it
// was taken.
using Apply = std::string (*)(VigilCf& cf, std::string_view value);
using Show = std::string (*)(const VigilCf& cf);

struct Directive {
  std::string_view name;
  Apply apply;
  Show show;
};

bool hook_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '.' || c == '_' ||
         c == '-';
}

// heartbeat's time syntax (time_value.h): seconds, or "500ms".
std::string apply_time(std::chrono::milliseconds& into, std::string_view value,
                       std::chrono::milliseconds min, std::chrono::milliseconds max) {
  const auto t = parse_time(value);
  if (!t || *t < min || *t > max)
    return fmt::format("expected a time from {} to {} seconds (heartbeat's syntax: 30, 1.5, 500ms)",
                       static_cast<double>(min.count()) / 1000.0, max.count() / 1000);
  into = *t;
  return {};
}

using std::chrono::milliseconds;

// THE table: one row per directive.
const Directive kDirectives[] = {
    {"notify_hook",
     [](VigilCf& cf, std::string_view v) -> std::string {
       if (v.empty() || v.size() > 64 || v == "." || v == ".." ||
           !std::all_of(v.begin(), v.end(), hook_name_char))
         return "expected the name of a program in notify.d (letters, digits, '.', '_', '-'; at "
                "most 64; no '/')";
       cf.notify_hook = std::string(v);
       return {};
     },
     [](const VigilCf& cf) { return cf.notify_hook.value_or("(none)"); }},
    {"notify_timeout",
     [](VigilCf& cf, std::string_view v) {
       return apply_time(cf.notify_timeout, v, milliseconds(100), milliseconds(3600000));
     },
     [](const VigilCf& cf) { return format_time(cf.notify_timeout); }},
    {"notify_retry_max",
     [](VigilCf& cf, std::string_view v) {
       return apply_time(cf.notify_retry_max, v, milliseconds(1000), milliseconds(3600000));
     },
     [](const VigilCf& cf) { return format_time(cf.notify_retry_max); }},
    {"rc_script_timeout",
     [](VigilCf& cf, std::string_view v) {
       return apply_time(cf.rc_script_timeout, v, milliseconds(100), milliseconds(3600000));
     },
     [](const VigilCf& cf) { return format_time(cf.rc_script_timeout); }},
    // ---- issue 14: announcement ----
    {"garp_refresh",
     [](VigilCf& cf, std::string_view v) -> std::string {
       if (v == "0") {
         cf.garp_refresh = milliseconds(0);
         return {};
       }
       std::string expected =
           apply_time(cf.garp_refresh, v, milliseconds(1000), milliseconds(86400000));
       return expected.empty() ? expected : expected + ", or 0 for never";
     },
     [](const VigilCf& cf) {
       return cf.garp_refresh.count() == 0 ? std::string("0 (never)")
                                           : format_time(cf.garp_refresh);
     }},
    {"garp_refresh_repeat",
     [](VigilCf& cf, std::string_view v) -> std::string {
       int n = 0;
       if (v.empty() || v.size() > 3 || !std::all_of(v.begin(), v.end(), is_digit) ||
           (n = std::stoi(std::string(v))) < 1 || n > 100)
         return "expected a number of rounds from 1 to 100";
       cf.garp_refresh_repeat = n;
       return {};
     },
     [](const VigilCf& cf) { return std::to_string(cf.garp_refresh_repeat); }},
    // ---- issue 14: heavy loss ----
    {"status_copies",
     [](VigilCf& cf, std::string_view v) -> std::string {
       if (v == "auto") {
         cf.status_copies = 0;
         return {};
       }
       if (v.size() != 1 || v[0] < '1' || v[0] > '4')
         return "expected auto, or a number of copies from 1 to 4";
       cf.status_copies = v[0] - '0';
       return {};
     },
     [](const VigilCf& cf) {
       return cf.status_copies == 0 ? std::string("auto") : std::to_string(cf.status_copies);
     }},
};

const Directive* find(std::string_view name) {
  for (const Directive& d : kDirectives)
    if (d.name == name) return &d;
  return nullptr;
}

std::string known_names() {
  std::string s;
  for (const Directive& d : kDirectives) s += (s.empty() ? "" : ", ") + std::string(d.name);
  return s;
}

}  // namespace

VigilCf parse_vigil_cf(std::string_view text, const std::string& file, Diagnostics& diag) {
  VigilCf cf;
  cf.present = true;
  std::map<std::string_view, int> seen;  // directive -> first line
  int number = 0;
  for (std::string_view line : split_lines(text)) {
    ++number;
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = trim(line);
    if (line.empty()) continue;
    const auto blank = std::find_if(line.begin(), line.end(), is_blank);
    const std::string_view name = line.substr(0, static_cast<std::size_t>(blank - line.begin()));
    const std::string_view value = trim(line.substr(name.size()));
    const Directive* d = find(name);
    if (d == nullptr) {
      diag.error(file, number, fmt::format("unknown directive [{}]", name),
                 "expected one of: " + known_names());
      continue;
    }
    if (value.empty()) {
      diag.error(file, number, fmt::format("{} has no value", name),
                 "expected `" + std::string(name) + " VALUE`");
      continue;
    }
    if (std::any_of(value.begin(), value.end(), is_blank)) {
      diag.error(file, number, fmt::format("{} [{}]: more than one value", name, value),
                 "expected one value");
      continue;
    }
    if (auto [it, fresh] = seen.emplace(d->name, number); !fresh) {
      diag.error(file, number, fmt::format("{} given twice (first at line {})", name, it->second),
                 "expected it once");
      continue;
    }
    if (std::string expected = d->apply(cf, value); !expected.empty())
      diag.error(file, number, fmt::format("bad {} value [{}]", name, value), expected);
  }
  return cf;
}

std::string print_vigil_cf(const VigilCf& cf) {
  std::string s = cf.present ? "# ---- vigil.cf ----\n" : "# ---- vigil.cf (none: defaults) ----\n";
  for (const Directive& d : kDirectives) s += fmt::format("{} {}\n", d.name, d.show(cf));
  return s;
}

std::vector<std::string> vigil_cf_directives() {
  std::vector<std::string> names;
  for (const Directive& d : kDirectives) names.emplace_back(d.name);
  return names;
}

}  // namespace vigil::conf
