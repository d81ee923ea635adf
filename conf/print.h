// The normalised configuration: every ha.cf directive with its effective
// value (defaults and derivations applied, times as `1500ms`), the resource
// groups, and the authkeys method and key id in use — never a key.
//
// The ha.cf and haresources sections are valid files of their kind:
// parsing them again gives the same configuration (see conf/compare.h).
// Unset optional values are printed as comments.
#pragma once

#include <string>
#include <vector>

#include "conf/config.h"

namespace vigil::conf {

// The section markers print_config puts before each part.
inline constexpr const char* kHaCfSection = "# ---- ha.cf ----\n";
inline constexpr const char* kHaresourcesSection = "# ---- haresources ----\n";
inline constexpr const char* kAuthkeysSection = "# ---- authkeys (keys not shown) ----\n";

std::string print_ha_cf(const HaCf& cf);
std::string print_haresources(const std::vector<ResourceGroup>& groups);
// Comment lines only: method and id of each key, which one signs.
std::string print_authkeys(const AuthKeys& keys);

// A header (local node, config hash) then the three sections above.
std::string print_config(const Config& c);

}  // namespace vigil::conf
