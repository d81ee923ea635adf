// Internal to the ha.cf parser: the state one parse carries from line to
// line, shared by the directive handlers (ha_cf_directives.cpp), the media
// handlers (ha_cf_media.cpp) and the final checks (ha_cf_validate.cpp).
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "conf/config.h"
#include "conf/diagnostics.h"

namespace vigil::conf::detail {

struct HaCfParser {
  HaCfParser(std::string_view f, Diagnostics& d) : file(f), diag(d) {}

  std::string_view file;
  Diagnostics& diag;
  HaCf cf;
  int line = 0;       // the line being parsed
  int last_line = 0;  // the number of lines, once parsing is done
  std::string directive;  // the directive being parsed, for messages

  // Directive name -> the last line it appeared on. Tells "explicitly set"
  // from "default" (derivations of §2.4) and where a value came from.
  std::map<std::string, int, std::less<>> seen;

  bool udpport_media_created = false;  // a bcast/ucast/ucast6 captured udpport
  bool serial_created = false;         // a serial captured baud
  bool seen_baud_value = false;        // baud may be given once (§2.4)
  bool crm_given = false;              // crm/pacemaker may be given once
  std::set<std::string, std::less<>> apiauth_clients;

  void error(std::string_view what, std::string_view expected = {}) {
    diag.error(file, line, what, expected);
  }
  void warn(std::string_view what) { diag.warn(file, line, what); }
  int line_of(std::string_view name) const {
    auto it = seen.find(name);
    return it == seen.end() ? 0 : it->second;
  }
  bool was_set(std::string_view name) const { return seen.count(name) != 0; }
};

// Option directives get one value per token; whole-line ones the raw rest.
enum class Style { kOption, kWholeLine };

using Handler = void (*)(HaCfParser&, std::string_view value);

struct Directive {
  std::string_view name;
  Style style;
  Handler handler;
};

// nullptr if `name` is not an ha.cf directive (media included).
const Directive* find_directive(std::string_view name);
const Directive* find_medium_directive(std::string_view name);

// §2.4 derivations and §2.5 checks, once every line has been read.
void finish_ha_cf(HaCfParser& p);
// One warning per directive vigil accepts and does not act on
// (unacted_directives.cpp).
void warn_unacted_directives(HaCfParser& p);

}  // namespace vigil::conf::detail
