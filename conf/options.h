// Command-line options shared by heartbeatd, resourced, ipd and vigilctl:
// where the three configuration files live (--config-dir), the Unix sockets
// (--runtime-dir), persistent state (--state-dir), and which node this is
// (--node-name, overriding nodeinfo and uname -n; heartbeat-compat.md §1).
//
// Each binary calls parse_common_options first, then interprets `rest`
// (sub-commands, its own flags) itself, and prints common_options_help()
// inside its own --help text.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "conf/config.h"

namespace vigil::conf {

struct CommonOptions {
  Paths paths;                           // defaults: VIGIL_DEFAULT_*_DIR (vigil_build_config.h)
  std::optional<std::string> node_name;  // --node-name NAME (lower-cased later, by load_config)
  bool help = false;                     // --help / -h
  bool version = false;                  // --version / -V
  std::vector<std::string> rest;         // everything not recognised, in order
};

// The build-time default paths (meson options default_config_dir, ...).
Paths default_paths();

// Accepts "--flag VALUE" and "--flag=VALUE" for --config-dir, --runtime-dir,
// --state-dir and --node-name. A flag without its value, or with an empty
// value, is an error. "--" ends option parsing: what follows goes to `rest`
// untouched. argv[0] is skipped.
Result<CommonOptions> parse_common_options(int argc, char** argv);

// The lines describing the flags above (with their defaults), each ending
// in '\n', for each binary's --help.
std::string common_options_help();

}  // namespace vigil::conf
