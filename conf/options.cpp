#include "conf/options.h"

#include <string_view>

#include "vigil_build_config.h"

namespace vigil::conf {

namespace {

// Returns the value of `flag` if argv[i] is that flag (either spelling),
// advancing i past a separate value; nullopt if argv[i] is another word.
// An error when the flag is present but its value is missing or empty.
std::optional<Result<std::string>> take_value(std::string_view flag, int argc,
                                              char** argv, int& i) {
  const std::string_view arg = argv[i];
  if (arg == flag) {
    if (i + 1 >= argc || std::string_view(argv[i + 1]).empty())
      return Result<std::string>(Error{std::string(flag) + ": missing value; expected " +
                                       std::string(flag) + " VALUE"});
    ++i;
    return Result<std::string>(std::string(argv[i]));
  }
  if (arg.size() > flag.size() && arg.substr(0, flag.size()) == flag &&
      arg[flag.size()] == '=') {
    std::string value(arg.substr(flag.size() + 1));
    if (value.empty())
      return Result<std::string>(Error{std::string(flag) + ": empty value; expected " +
                                       std::string(flag) + "=VALUE"});
    return Result<std::string>(std::move(value));
  }
  return std::nullopt;
}

}  // namespace

Paths default_paths() {
  return Paths{VIGIL_DEFAULT_CONFIG_DIR, VIGIL_DEFAULT_RUNTIME_DIR, VIGIL_DEFAULT_STATE_DIR};
}

Result<CommonOptions> parse_common_options(int argc, char** argv) {
  CommonOptions opts;
  opts.paths = default_paths();
  bool only_rest = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (only_rest) {
      opts.rest.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      only_rest = true;
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      opts.help = true;
      continue;
    }
    if (arg == "--version" || arg == "-V") {
      opts.version = true;
      continue;
    }
    struct Flag {
      std::string_view name;
      std::string* target;
    };
    std::string node_name;
    const Flag flags[] = {
        {"--config-dir", &opts.paths.config_dir},
        {"--runtime-dir", &opts.paths.runtime_dir},
        {"--state-dir", &opts.paths.state_dir},
        {"--node-name", &node_name},
    };
    bool matched = false;
    for (const Flag& f : flags) {
      auto value = take_value(f.name, argc, argv, i);
      if (!value) continue;
      if (!value->ok()) return value->error();
      *f.target = std::move(value->value());
      if (f.target == &node_name) opts.node_name = std::move(node_name);
      matched = true;
      break;
    }
    if (!matched) opts.rest.emplace_back(arg);
  }
  return opts;
}

std::string common_options_help() {
  const Paths d = default_paths();
  std::string s;
  s += "  --config-dir DIR    ha.cf, haresources, authkeys, nodeinfo (default " + d.config_dir + ")\n";
  s += "  --runtime-dir DIR   sockets between the vigil daemons (default " + d.runtime_dir + ")\n";
  s += "  --state-dir DIR     persistent state: generation, node uuid (default " + d.state_dir + ")\n";
  s += "  --node-name NAME    this node's name (default: first line of CONFIG_DIR/nodeinfo, else uname -n)\n";
  s += "  -h, --help          print this help and exit\n";
  s += "  -V, --version       print the version and exit\n";
  return s;
}

}  // namespace vigil::conf
