// Equality of configurations as the daemons see them: every value, but not
// the line numbers things came from (a printed and re-parsed configuration
// has other line numbers). Keys are compared in constant time.
#pragma once

#include "conf/config.h"

namespace vigil::conf {

bool equivalent(const Medium& a, const Medium& b);
bool equivalent(const HaCf& a, const HaCf& b);
bool equivalent(const ResourceGroup& a, const ResourceGroup& b);
bool equivalent(const std::vector<ResourceGroup>& a, const std::vector<ResourceGroup>& b);
bool equivalent(const AuthKeys& a, const AuthKeys& b);
// Everything above, plus paths, local node and hash.
bool equivalent(const Config& a, const Config& b);

}  // namespace vigil::conf
