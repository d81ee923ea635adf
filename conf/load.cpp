#include "conf/load.h"

#include <sodium.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "conf/authkeys.h"
#include "conf/diagnostics.h"
#include "conf/fence_devices.h"
#include "conf/ha_cf.h"
#include "conf/haresources.h"
#include "conf/node_name.h"
#include "conf/print.h"
#include "conf/vigil_cf.h"

namespace vigil::conf {

namespace {

std::optional<std::string> read_text(const std::string& path, std::string& why) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    why = std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// SHA-256 of the normalised ha.cf and haresources (never the keys), so
// that two processes can tell they loaded the same configuration.
std::string config_hash(const Config& c) {
  const std::string text = print_ha_cf(c.ha_cf) + print_haresources(c.groups);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

}  // namespace

std::string config_path(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

LoadReport load_config_report(const LoadOptions& options) {
  if (sodium_init() < 0) return LoadReport{std::nullopt, {"libsodium failed to initialise"}, {}};
  Diagnostics diag;
  Config c;
  c.paths = options.paths;
  const std::string& dir = options.paths.config_dir;

  const std::string ha_cf_path = config_path(dir, "ha.cf");
  std::string why;
  const auto ha_cf_text = read_text(ha_cf_path, why);
  if (ha_cf_text) {
    c.ha_cf = parse_ha_cf(*ha_cf_text, ha_cf_path, diag);
    auto local = local_node_name(options.node_name, dir);
    if (!local) {
      diag.error(ha_cf_path, 0, local.error().message);
    } else {
      c.local_node = local->name;
      const auto& nodes = c.ha_cf.nodes;
      if (!nodes.empty() && std::find(nodes.begin(), nodes.end(), c.local_node) == nodes.end())
        diag.error(ha_cf_path, count_lines(*ha_cf_text),
                   "Current node [" + c.local_node + "] not in configuration!",
                   "expected a `node " + c.local_node + "` line (the name comes from " +
                       local->source + ")");
    }
  } else {
    diag.error(ha_cf_path, 0, "Cannot open configuration file [" + ha_cf_path + "] (" + why + ")",
               "expected a readable ha.cf");
  }

  const std::string res_path = config_path(dir, "haresources");
  if (const auto res_text = read_text(res_path, why)) {
    c.groups = parse_haresources(*res_text, res_path, ha_cf_text ? &c.ha_cf.nodes : nullptr, diag);
  } else {
    diag.error(res_path, 0, "Cannot open resources file [" + res_path + "] (" + why + ")",
               "expected a readable haresources (it may be empty)");
  }

  // Optional: a missing vigil.cf means every default.
  const std::string vigil_cf_path = config_path(dir, std::string(kVigilCfName));
  if (const auto vigil_cf_text = read_text(vigil_cf_path, why)) {
    c.vigil_cf = parse_vigil_cf(*vigil_cf_text, vigil_cf_path, diag);
    // Needs ha.cf's nodes (fence_devices.h); without ha.cf its error stands alone.
    if (ha_cf_text) check_fence_agents(c, vigil_cf_path, diag);
  } else if (errno != ENOENT)
    diag.error(vigil_cf_path, 0, "Cannot open [" + vigil_cf_path + "] (" + why + ")",
               "expected a readable vigil.cf, or none");

  if (options.read_authkeys)
    c.authkeys = load_authkeys(options.authkeys_path.value_or(config_path(dir, "authkeys")), diag);

  LoadReport report;
  report.errors = diag.errors();
  report.warnings = diag.warnings();
  if (report.errors.empty()) {
    c.hash = config_hash(c);
    report.config = std::move(c);
  }
  return report;
}

Result<LoadedConfig> load_config(const LoadOptions& options) {
  LoadReport r = load_config_report(options);
  if (!r.config) {
    std::string all;
    for (const auto& e : r.errors) all += (all.empty() ? "" : "\n") + e;
    return Error{all};
  }
  return LoadedConfig{std::move(*r.config), std::move(r.warnings)};
}

}  // namespace vigil::conf
