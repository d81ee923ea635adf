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
// A repeatable row's: several words, any number of lines; `line` is the
// line number, kept for checks made once the whole configuration is read.
using ApplyRepeated = std::string (*)(VigilCf& cf, std::string_view value, int line);

struct Directive {
  std::string_view name;
  Apply apply;  // a one-value, once-only row
  Show show;    // a repeatable row: one line per entry, "(none)" for none
  ApplyRepeated apply_repeated = nullptr;  // set (apply unset): a repeatable row
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

std::string apply_count(int& into, std::string_view value, int min, int max) {
  int n = 0;
  if (value.empty() || value.size() > 4 || !std::all_of(value.begin(), value.end(), is_digit))
    return fmt::format("expected a whole number from {} to {}", min, max);
  for (char c : value) n = n * 10 + (c - '0');
  if (n < min || n > max) return fmt::format("expected a whole number from {} to {}", min, max);
  into = n;
  return {};
}

std::string apply_switch(bool& into, std::string_view value) {
  if (value == "on" || value == "yes" || value == "true") {
    into = true;
    return {};
  }
  if (value == "off" || value == "no" || value == "false") {
    into = false;
    return {};
  }
  return "expected on or off";
}

// A resource name in a list: what haresources may hold, no ',' or '='.
bool resource_name_valid(std::string_view v) {
  return !v.empty() && v.size() <= 256 && v.find_first_of(",=") == std::string_view::npos;
}

std::vector<std::string_view> split_commas(std::string_view v) {
  std::vector<std::string_view> parts;
  while (true) {
    const auto comma = v.find(',');
    parts.push_back(v.substr(0, comma));
    if (comma == std::string_view::npos) return parts;
    v = v.substr(comma + 1);
  }
}

std::string join(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : ",") + i;
  return s.empty() ? "(none)" : s;
}

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
    // ---- issue 16: resource health ----
    {"health_check",
     [](VigilCf& cf, std::string_view v) { return apply_switch(cf.health_check, v); },
     [](const VigilCf& cf) { return std::string(cf.health_check ? "on" : "off"); }},
    {"health_interval",
     [](VigilCf& cf, std::string_view v) {
       return apply_time(cf.health_interval, v, milliseconds(1000), milliseconds(3600000));
     },
     [](const VigilCf& cf) { return format_time(cf.health_interval); }},
    {"health_timeout",
     [](VigilCf& cf, std::string_view v) {
       return apply_time(cf.health_timeout, v, milliseconds(100), milliseconds(3600000));
     },
     [](const VigilCf& cf) { return format_time(cf.health_timeout); }},
    {"health_start_grace",
     [](VigilCf& cf, std::string_view v) {
       return apply_time(cf.health_start_grace, v, milliseconds(0), milliseconds(3600000));
     },
     [](const VigilCf& cf) { return format_time(cf.health_start_grace); }},
    {"health_fall",
     [](VigilCf& cf, std::string_view v) { return apply_count(cf.health_fall, v, 1, 100); },
     [](const VigilCf& cf) { return std::to_string(cf.health_fall); }},
    {"health_max_failures",
     [](VigilCf& cf, std::string_view v) { return apply_count(cf.health_max_failures, v, 1, 100); },
     [](const VigilCf& cf) { return std::to_string(cf.health_max_failures); }},
    {"health_failure_window",
     [](VigilCf& cf, std::string_view v) {
       return apply_time(cf.health_failure_window, v, milliseconds(1000), milliseconds(86400000));
     },
     [](const VigilCf& cf) { return format_time(cf.health_failure_window); }},
    {"health_hold",
     [](VigilCf& cf, std::string_view v) {
       return apply_time(cf.health_hold, v, milliseconds(0), milliseconds(604800000));
     },
     [](const VigilCf& cf) {
       return cf.health_hold.count() == 0 ? std::string("0 (until vigilctl cleanup)")
                                          : format_time(cf.health_hold);
     }},
    {"health_exclude",
     [](VigilCf& cf, std::string_view v) -> std::string {
       for (std::string_view name : split_commas(v)) {
         if (!resource_name_valid(name))
           return "expected resource names as written in haresources, separated by ','";
         cf.health_exclude.emplace_back(name);
       }
       return {};
     },
     [](const VigilCf& cf) { return join(cf.health_exclude); }},
    {"health_timeout_for",
     [](VigilCf& cf, std::string_view v) -> std::string {
       for (std::string_view item : split_commas(v)) {
         const auto eq = item.find('=');
         const std::string_view name = item.substr(0, eq);
         milliseconds t{};
         if (eq == std::string_view::npos || !resource_name_valid(name) ||
             !apply_time(t, item.substr(eq + 1), milliseconds(100), milliseconds(3600000)).empty())
           return "expected NAME=TIME[,NAME=TIME...] (a resource as written in haresources, a "
                  "time from 0.1 to 3600 seconds)";
         cf.health_timeout_for.emplace_back(std::string(name), t);
       }
       return {};
     },
     [](const VigilCf& cf) {
       std::vector<std::string> items;
       for (const auto& [name, t] : cf.health_timeout_for)
         items.push_back(name + "=" + format_time(t));
       return join(items);
     }},
    // ---- issue 13: ipfail ----
    {"ipfail", [](VigilCf& cf, std::string_view v) { return apply_switch(cf.ipfail, v); },
     [](const VigilCf& cf) { return std::string(cf.ipfail ? "on" : "off"); }},
    // ---- issue 14: fence-agents ----
    {"fence_agent", nullptr,
     [](const VigilCf& cf) {
       std::string s;
       for (const auto& a : cf.fence_agents) s += (s.empty() ? "" : "\n") + show_fence_agent(a);
       return s.empty() ? std::string("(none)") : s;
     },
     [](VigilCf& cf, std::string_view v, int line) -> std::string {
       FenceAgent a;
       if (std::string expected = parse_fence_agent(v, a); !expected.empty()) return expected;
       a.line = line;
       cf.fence_agents.push_back(std::move(a));
       return {};
     }},
    // ---- issue 18: corosync ----
    {"membership",
     [](VigilCf& cf, std::string_view v) -> std::string {
       if (v == "heartbeat")
         cf.membership = VigilCf::Membership::kHeartbeat;
       else if (v == "corosync")
         cf.membership = VigilCf::Membership::kCorosync;
       else
         return "expected heartbeat or corosync";
       return {};
     },
     [](const VigilCf& cf) -> std::string {
       return cf.membership == VigilCf::Membership::kCorosync ? "corosync" : "heartbeat";
     }},
    {"corosync_group",
     [](VigilCf& cf, std::string_view v) -> std::string {
       // CPG names are at most 128 bytes (cpg.h CPG_MAX_NAME_LENGTH).
       if (v.size() > 64 || !std::all_of(v.begin(), v.end(), hook_name_char))
         return "expected a CPG group name (letters, digits, '.', '_', '-'; at most 64)";
       cf.corosync_group = std::string(v);
       return {};
     },
     [](const VigilCf& cf) { return cf.corosync_group; }},
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

std::chrono::milliseconds health_timeout_of(const VigilCf& cf, std::string_view text,
                                            std::string_view name) {
  for (const auto& [n, t] : cf.health_timeout_for)
    if (n == text) return t;
  for (const auto& [n, t] : cf.health_timeout_for)
    if (n == name) return t;
  return cf.health_timeout;
}

bool health_excluded(const VigilCf& cf, std::string_view text, std::string_view name) {
  return std::any_of(cf.health_exclude.begin(), cf.health_exclude.end(),
                     [&](const std::string& n) { return n == text || n == name; });
}

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
    if (d->apply_repeated != nullptr) {
      // The words may hold a password: the error names the field, never the value.
      if (std::string expected = d->apply_repeated(cf, value, number); !expected.empty())
        diag.error(file, number, fmt::format("bad {} line", name), expected);
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
  for (const Directive& d : kDirectives) {
    const std::string shown = d.show(cf);
    for (std::string_view line : split_lines(shown)) s += fmt::format("{} {}\n", d.name, line);
  }
  return s;
}

std::vector<std::string> vigil_cf_directives() {
  std::vector<std::string> names;
  for (const Directive& d : kDirectives) names.emplace_back(d.name);
  return names;
}

}  // namespace vigil::conf
