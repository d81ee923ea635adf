// A small conf::Config for server tests: groups of script and IP entries,
// built in code (no files).
#pragma once

#include <string>
#include <vector>

#include "conf/config.h"

namespace vigil::resourced::testing {

inline const std::string kHash(64, 'a');
inline const std::string kOtherHash(64, 'b');

inline conf::Resource script_entry(const std::string& token) {
  conf::Resource r;
  r.kind = conf::ResourceKind::kScript;
  r.text = token;
  r.name = token;
  return r;
}

inline conf::Resource ip_entry(const std::string& address) {
  conf::Resource r;
  r.kind = conf::ResourceKind::kIpAddr;
  r.text = address;
  r.name = "IPaddr";
  r.args = {address};
  r.ip = conf::IpSpec{address, false, {}, {}, {}, {}};
  return r;
}

// groups: each a list of tokens; a token starting with a digit is an IP.
inline conf::Config config_with(const std::vector<std::vector<std::string>>& groups) {
  conf::Config c;
  c.hash = kHash;
  for (const auto& tokens : groups) {
    conf::ResourceGroup g;
    g.node = "node1";
    for (const auto& t : tokens)
      g.resources.push_back(t[0] >= '0' && t[0] <= '9' ? ip_entry(t) : script_entry(t));
    c.groups.push_back(g);
  }
  return c;
}

}  // namespace vigil::resourced::testing
