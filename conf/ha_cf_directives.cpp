// The non-media directives of ha.cf (heartbeat-compat.md §2.4), one
// handler per directive. Option handlers see one token at a time (§2.1).
#include <pwd.h>
#include <unistd.h>

#include <array>
#include <string>

#include "conf/boolean.h"
#include "conf/ha_cf_parser.h"
#include "conf/respawn_role.h"
#include "conf/text.h"
#include "conf/time_value.h"

namespace vigil::conf::detail {

namespace {

void set_time(HaCfParser& p, std::string_view v, Millis& target) {
  const auto t = parse_time(v);
  if (!t) {
    p.error("invalid time [" + std::string(v) + "] for " + p.directive,
            "expected a number of seconds, optionally with a fraction or a unit: "
            "`2`, `1.5`, `500ms`, `250000us`");
    return;
  }
  if (t->count() <= 0) {
    p.error(p.directive + " [" + std::string(v) + "] is zero",
            "expected a time of at least 1ms");
    return;
  }
  target = *t;
}

void set_bool(HaCfParser& p, std::string_view v, bool& target) {
  const auto b = parse_boolean(v);
  if (!b) {
    p.error("invalid boolean [" + std::string(v) + "] for " + p.directive,
            "expected one of true on yes y 1 / false off no n 0");
    return;
  }
  target = *b;
}

void set_int(HaCfParser& p, std::string_view v, long min, long max, int& target) {
  const auto n = parse_int(v, min, max);
  if (!n) {
    p.error("invalid value [" + std::string(v) + "] for " + p.directive,
            "expected an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return;
  }
  target = static_cast<int>(*n);
}

// One of `choices`, compared as written (case_fold: lower-cased first).
void set_choice(HaCfParser& p, std::string_view v, std::initializer_list<std::string_view> choices,
                bool case_fold, std::string& target) {
  const std::string given = case_fold ? lower(v) : std::string(v);
  std::string list;
  for (std::string_view c : choices) {
    if (given == c) {
      target = given;
      return;
    }
    list += (list.empty() ? "" : " | ") + std::string(c);
  }
  p.error("invalid value [" + std::string(v) + "] for " + p.directive, "expected " + list);
}

constexpr std::array kFacilities = {
    "none", "auth", "authpriv", "cron", "daemon", "ftp", "kern", "lpr", "mail", "news",
    "syslog", "user", "uucp", "local0", "local1", "local2", "local3", "local4", "local5",
    "local6", "local7"};

void on_logfacility(HaCfParser& p, std::string_view v) {
  for (const char* f : kFacilities) {
    if (v == f) {
      p.cf.logfacility = std::string(v);
      return;
    }
  }
  p.error("Log facility(" + std::string(v) + ") not valid",
          "expected none or a syslog facility: auth authpriv cron daemon ftp kern lpr mail "
          "news syslog user uucp local0..local7");
}

void on_udpport(HaCfParser& p, std::string_view v) {
  int port = 0;
  set_int(p, v, 1, 65535, port);
  if (port == 0) return;
  if (p.udpport_media_created)
    p.warn("udpport setting must precede media statements: earlier bcast/ucast lines keep "
           "port " + std::to_string(p.cf.udpport));
  p.cf.udpport = static_cast<std::uint16_t>(port);
}

void on_baud(HaCfParser& p, std::string_view v) {
  static constexpr std::array kRates = {9600, 19200, 38400, 57600, 115200, 230400, 460800};
  if (p.seen_baud_value) {
    p.error("Baudrate multiply specified", "expected at most one baud value");
    return;
  }
  p.seen_baud_value = true;
  const auto n = parse_int(v, 0, 10'000'000);
  bool valid = false;
  for (int r : kRates) valid = valid || (n && *n == r);
  if (!valid) {
    p.error("invalid baud rate [" + std::string(v) + "]",
            "expected 9600 19200 38400 57600 115200 230400 or 460800");
    return;
  }
  if (p.serial_created)
    p.warn("baudrate setting must precede media statements: earlier serial lines keep " +
           std::to_string(p.cf.baud));
  p.cf.baud = static_cast<int>(*n);
}

void on_node(HaCfParser& p, std::string_view v) {
  // §2.4 node: names are lower-cased.
  std::string name = lower(v);
  for (const auto& n : p.cf.nodes) {
    if (n == name) {
      p.warn("node [" + name + "] listed twice; the repeat is ignored");
      return;
    }
  }
  p.cf.nodes.push_back(std::move(name));
}

void on_auto_failback(HaCfParser& p, std::string_view v) {
  if (lower(v) == "legacy") {
    p.cf.auto_failback = AutoFailback::kLegacy;
    return;
  }
  const auto b = parse_boolean(v);
  if (!b) {
    p.error("invalid auto_failback [" + std::string(v) + "]", "expected on, off or legacy");
    return;
  }
  p.cf.auto_failback = *b ? AutoFailback::kOn : AutoFailback::kOff;
}

void on_nice_failback(HaCfParser& p, std::string_view v) {
  const auto b = parse_boolean(v);
  if (!b) {
    p.error("invalid boolean [" + std::string(v) + "] for nice_failback",
            "expected on or off (better: auto_failback on|off|legacy)");
    return;
  }
  p.warn("nice_failback flag is obsolete. Use auto_failback {on, off, legacy} instead.");
  p.cf.auto_failback = *b ? AutoFailback::kOff : AutoFailback::kLegacy;
}

void on_watchdog(HaCfParser& p, std::string_view v) {
  if (p.cf.watchdog) {
    p.error("Watchdog device multiply specified", "expected one watchdog line");
    return;
  }
  p.cf.watchdog = std::string(v);
}

void on_max_rexmit_delay(HaCfParser& p, std::string_view v) {
  // heartbeat reads a plain number of milliseconds here, not a time (§2.4);
  // the printed form "250ms" is accepted as well.
  std::string_view digits = v;
  if (digits.size() > 2 && digits.substr(digits.size() - 2) == "ms") digits.remove_suffix(2);
  const auto n = parse_int(digits, 1, 3'600'000);
  if (!n) {
    p.error("invalid max_rexmit_delay [" + std::string(v) + "]",
            "expected a number of milliseconds greater than 0");
    return;
  }
  p.cf.max_rexmit_delay = Millis(*n);
}

void on_env(HaCfParser& p, std::string_view v) {
  const std::size_t eq = v.find('=');
  if (eq == 0 || eq == std::string_view::npos) {
    p.error("invalid env [" + std::string(v) + "]", "expected env NAME=value");
    return;
  }
  p.cf.env.emplace_back(std::string(v.substr(0, eq)), std::string(v.substr(eq + 1)));
}

void on_crm(HaCfParser& p, std::string_view v) {
  if (p.crm_given) {
    p.error(p.directive + " may appear only once", "expected one crm/pacemaker line");
    return;
  }
  p.crm_given = true;
  const auto b = parse_boolean(v);
  if (b && !*b) {
    p.cf.crm = "false";
    return;
  }
  p.error(p.directive + " [" + std::string(v) +
              "] switches heartbeat to Pacemaker mode, which vigil does not implement",
          "expected `crm off` or no crm line (vigil manages haresources, heartbeat v1 style)");
}

void on_pacemaker_only(HaCfParser& p, std::string_view) {
  p.warn(p.directive + " is for Pacemaker (crm) mode and has no effect in vigil");
}

void on_unused(HaCfParser& p, std::string_view) {
  p.warn(p.directive + " has no effect in vigil");
}

// respawn / failfast USER /abs/path [args] (§2.4): heartbeat checks the user
// and that the program is executable when it reads the file. vigil checks
// them for what it really runs: heartbeat's ipfail (built into vigil) and
// DRBD's dopd (a warning) are accepted and not run (respawn_role.h), so
// they need not exist (the heartbeat package that held ipfail is gone).
void add_client(HaCfParser& p, std::string_view rest, bool failfast) {
  const std::size_t user_end = rest.find_first_of(" \t");
  const std::string user(rest.substr(0, user_end));
  const std::string_view command =
      user_end == std::string_view::npos ? std::string_view{} : trim(rest.substr(user_end));
  if (command.empty()) {
    p.error(p.directive + " without a program",
            "expected `" + p.directive + " USER /absolute/path [args]`");
    return;
  }
  const std::string program(respawn_program(command));
  if (const RespawnRole role = respawn_role(command); role != RespawnRole::kProgram) {
    if (std::string why = respawn_not_run_warning(role, program); !why.empty()) p.warn(why);
    p.cf.respawn.push_back(RespawnClient{user, std::string(command), failfast, p.line});
    return;
  }
  if (failfast)
    p.warn("failfast " + program +
           ": vigil runs it like respawn and does not reboot the machine when it dies; "
           "a `watchdog` line resets a node whose vigil dies or hangs");
  bool ok = true;
  if (::getpwnam(user.c_str()) == nullptr) {
    p.error("unknown user [" + user + "] for " + p.directive, "expected an existing user name");
    ok = false;
  }
  if (program.front() != '/') {
    p.error(p.directive + " program [" + program + "] is not an absolute path",
            "expected `" + p.directive + " USER /absolute/path [args]`");
    ok = false;
  } else if (::access(program.c_str(), X_OK) != 0) {
    p.error(p.directive + " program [" + program + "] is not executable",
            "expected an existing executable file");
    ok = false;
  }
  if (ok) p.cf.respawn.push_back(RespawnClient{user, std::string(command), failfast, p.line});
}

void on_apiauth(HaCfParser& p, std::string_view rest) {
  const std::string client(rest.substr(0, rest.find_first_of(" \t")));
  if (!p.apiauth_clients.insert(client).second) {
    p.error("Duplicate apiauth directive for API client " + client,
            "expected one apiauth line per client");
    return;
  }
  p.cf.apiauth.emplace_back(rest);
}

// §2.4 stonith TYPE CONFIGFILE: one plugin, its parameters in a file
// (conf/fence_devices.h says how they reach cluster-glue's `stonith`).
void on_stonith(HaCfParser& p, std::string_view rest) {
  if (split_any(rest, " \t").size() != 2) {
    p.error("stonith needs a device type and a parameter file",
            "expected `stonith TYPE CONFIGFILE`");
    return;
  }
  p.cf.stonith.emplace_back(rest);
}

// §2.4 stonith_host FROMHOST|* TYPE PARAMS...: kept whoever FROMHOST is (a
// peer shares the file); only this node's lines are used.
void on_stonith_host(HaCfParser& p, std::string_view rest) {
  if (split_any(rest, " \t").size() < 2) {
    p.error("stonith_host needs the node it applies to and a device type",
            "expected `stonith_host FROMHOST|* TYPE PARAMS...`");
    return;
  }
  p.cf.stonith_host.emplace_back(rest);
}

constexpr Directive kDirectives[] = {
    {"logfile", Style::kOption, [](HaCfParser& p, std::string_view v) { p.cf.logfile = std::string(v); }},
    {"debugfile", Style::kOption, [](HaCfParser& p, std::string_view v) { p.cf.debugfile = std::string(v); }},
    {"logfacility", Style::kOption, on_logfacility},
    {"use_logd", Style::kOption, [](HaCfParser& p, std::string_view v) { set_bool(p, v, p.cf.use_logd); }},
    {"conn_logd_time", Style::kOption, [](HaCfParser& p, std::string_view v) { set_time(p, v, p.cf.conn_logd_time); }},
    {"syslogmsgfmt", Style::kOption, [](HaCfParser& p, std::string_view v) { set_bool(p, v, p.cf.syslogmsgfmt); }},
    {"log_badpack", Style::kOption, [](HaCfParser& p, std::string_view v) { set_bool(p, v, p.cf.log_badpack); }},
    {"keepalive", Style::kOption, [](HaCfParser& p, std::string_view v) { set_time(p, v, p.cf.keepalive); }},
    {"deadtime", Style::kOption, [](HaCfParser& p, std::string_view v) { set_time(p, v, p.cf.deadtime); }},
    {"warntime", Style::kOption, [](HaCfParser& p, std::string_view v) { set_time(p, v, p.cf.warntime); }},
    {"initdead", Style::kOption, [](HaCfParser& p, std::string_view v) { set_time(p, v, p.cf.initdead); }},
    {"deadping", Style::kOption, [](HaCfParser& p, std::string_view v) { set_time(p, v, p.cf.deadping); }},
    {"udpport", Style::kOption, on_udpport},
    {"baud", Style::kOption, on_baud},
    {"hopfudge", Style::kOption, [](HaCfParser& p, std::string_view v) { set_int(p, v, 0, 255, p.cf.hopfudge); }},
    {"node", Style::kOption, on_node},
    {"auto_failback", Style::kOption, on_auto_failback},
    {"nice_failback", Style::kOption, on_nice_failback},
    {"watchdog", Style::kOption, on_watchdog},
    {"realtime", Style::kOption, [](HaCfParser& p, std::string_view v) { set_bool(p, v, p.cf.realtime); }},
    {"rtprio", Style::kOption, [](HaCfParser& p, std::string_view v) {
       int prio = 0;
       set_int(p, v, 1, 99, prio);  // SCHED_FIFO's range on Linux
       if (prio != 0) p.cf.rtprio = prio;
     }},
    {"debug", Style::kOption, [](HaCfParser& p, std::string_view v) { set_int(p, v, 0, 255, p.cf.debug); }},
    {"coredumps", Style::kOption, [](HaCfParser& p, std::string_view v) { set_bool(p, v, p.cf.coredumps); }},
    {"coreroot", Style::kOption, [](HaCfParser& p, std::string_view v) { p.cf.coreroot = std::string(v); }},
    {"hbgenmethod", Style::kOption, [](HaCfParser& p, std::string_view v) { set_choice(p, v, {"file", "time"}, false, p.cf.hbgenmethod); }},
    {"uuidfrom", Style::kOption, [](HaCfParser& p, std::string_view v) { set_choice(p, v, {"file", "nodename"}, false, p.cf.uuidfrom); }},
    {"autojoin", Style::kOption, [](HaCfParser& p, std::string_view v) { set_choice(p, v, {"none", "other", "any"}, true, p.cf.autojoin); }},
    {"msgfmt", Style::kOption, [](HaCfParser& p, std::string_view v) { set_choice(p, v, {"classic", "netstring"}, false, p.cf.msgfmt); }},
    {"compression", Style::kOption, [](HaCfParser& p, std::string_view v) { set_choice(p, v, {"zlib", "bz2"}, false, p.cf.compression); }},
    {"compression_threshold", Style::kOption, [](HaCfParser& p, std::string_view v) { set_int(p, v, 1, 1'000'000, p.cf.compression_threshold); }},
    {"traditional_compression", Style::kOption, [](HaCfParser& p, std::string_view v) { set_bool(p, v, p.cf.traditional_compression); }},
    {"max_rexmit_delay", Style::kOption, on_max_rexmit_delay},
    {"memreserve", Style::kOption, [](HaCfParser& p, std::string_view v) { set_int(p, v, 0, 10'000'000, p.cf.memreserve); }},
    {"env", Style::kOption, on_env},
    {"cluster", Style::kOption, [](HaCfParser& p, std::string_view v) { p.cf.cluster = std::string(v); }},
    {"crm", Style::kOption, on_crm},
    {"pacemaker", Style::kOption, on_crm},
    {"quorum_server", Style::kOption, on_pacemaker_only},
    {"crm_daemon_dir", Style::kOption, on_pacemaker_only},
    {"crmd_spawns_pengine", Style::kOption, on_pacemaker_only},
    {"record_config_changes", Style::kOption, on_pacemaker_only},
    {"record_pengine_inputs", Style::kOption, on_pacemaker_only},
    {"enable_config_writes", Style::kOption, on_pacemaker_only},
    {"use_apphbd", Style::kOption, on_unused},
    {"respawn", Style::kWholeLine, [](HaCfParser& p, std::string_view r) { add_client(p, r, false); }},
    {"failfast", Style::kWholeLine, [](HaCfParser& p, std::string_view r) { add_client(p, r, true); }},
    {"apiauth", Style::kWholeLine, on_apiauth},
    {"stonith", Style::kWholeLine, on_stonith},
    {"stonith_host", Style::kWholeLine, on_stonith_host},
};

}  // namespace

const Directive* find_directive(std::string_view name) {
  for (const Directive& d : kDirectives)
    if (d.name == name) return &d;
  return nullptr;
}

}  // namespace vigil::conf::detail
