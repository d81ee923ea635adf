// The one entry point every process uses to get its configuration: reads
// CONFIG_DIR/ha.cf, haresources and authkeys, works out the local node name,
// checks everything heartbeat checks at start (heartbeat-compat.md §2.5,
// §3.1, §4) and reports *all* errors of the three files at once. vigil's
// own vigil.cf (vigil_cf.h) is read too when it exists; its errors are
// reported with the others.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "conf/config.h"

namespace vigil::conf {

struct LoadOptions {
  LoadOptions() = default;
  LoadOptions(Paths p, std::optional<std::string> node = std::nullopt)  // NOLINT: brace-init by design
      : paths(std::move(p)), node_name(std::move(node)) {}

  Paths paths;
  std::optional<std::string> node_name;  // --node-name; else nodeinfo, else uname -n
  // Where authkeys is read from instead of CONFIG_DIR/authkeys: heartbeatd
  // under systemd reads the copy LoadCredential= gives it
  // ($CREDENTIALS_DIRECTORY/authkeys), since authkeys stays root:root 0600.
  std::optional<std::string> authkeys_path;
  // The root helpers (ipd, resourced) never sign or verify a packet and
  // must not need the keys: they skip authkeys (Config::authkeys stays
  // empty). The configuration hash never covers keys, so it is unchanged.
  bool read_authkeys = true;
};

struct LoadedConfig {
  Config config;
  std::vector<std::string> warnings;  // "FILE:LINE: text", for the caller to log
};

// On failure the Error's message holds every error, one per line
// ("FILE:LINE: what is wrong; what was expected"), in file order: ha.cf,
// haresources, authkeys.
Result<LoadedConfig> load_config(const LoadOptions& options);

// The same load, keeping the warnings when there are errors too (for
// vigilctl check-config, which shows both).
struct LoadReport {
  std::optional<Config> config;  // set iff errors is empty
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
};
LoadReport load_config_report(const LoadOptions& options);

// `dir`/`name`, without a doubled '/'.
std::string config_path(const std::string& dir, const std::string& name);

}  // namespace vigil::conf
