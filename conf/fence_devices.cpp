#include "conf/fence_devices.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "conf/text.h"

namespace vigil::conf {

namespace {

// The first word of `line` and the rest (trimmed). The parser checked that
// both lines have the words they need (ha_cf_directives.cpp).
std::pair<std::string, std::string> first_word(std::string_view line) {
  line = trim(line);
  std::size_t end = 0;
  while (end < line.size() && !is_blank(line[end])) ++end;
  return {std::string(line.substr(0, end)), std::string(trim(line.substr(end)))};
}

}  // namespace

std::vector<FenceDevice> fence_devices(const Config& config) {
  std::vector<FenceDevice> devices;
  for (const auto& line : config.ha_cf.stonith) {
    auto [type, file] = first_word(line);
    devices.push_back({type, FenceDevice::Params::kFile, file});
  }
  for (const auto& line : config.ha_cf.stonith_host) {
    auto [from, rest] = first_word(line);
    // §2.4: another node's line names a device only that node can reach.
    if (from != "*" && lower(from) != config.local_node) continue;
    auto [type, params] = first_word(rest);
    devices.push_back({type, FenceDevice::Params::kInline, params});
  }
  return devices;
}

std::vector<FenceAgent> fence_agents_for(const Config& config, const std::string& node) {
  std::vector<FenceAgent> out;
  for (const auto& a : config.vigil_cf.fence_agents)
    if (a.node == node) out.push_back(a);
  return out;
}

std::string first_fence_method(const Config& config, const std::string& node) {
  for (const auto& a : config.vigil_cf.fence_agents)
    if (a.node == node) return a.agent;
  const auto devices = fence_devices(config);
  return devices.empty() ? std::string() : devices.front().type;
}

bool fences_any_peer(const Config& config) {
  const auto& nodes = config.ha_cf.nodes;
  return std::any_of(nodes.begin(), nodes.end(), [&](const std::string& n) {
    return n != config.local_node && !first_fence_method(config, n).empty();
  });
}

void check_fence_agents(const Config& config, const std::string& vigil_cf_file, Diagnostics& diag) {
  const auto& nodes = config.ha_cf.nodes;
  const bool devices = !fence_devices(config).empty();
  std::set<std::string> warned;
  for (const auto& a : config.vigil_cf.fence_agents) {
    if (std::find(nodes.begin(), nodes.end(), a.node) == nodes.end()) {
      std::string all;
      for (const auto& n : nodes) all += (all.empty() ? "" : ", ") + n;
      diag.error(vigil_cf_file, a.line,
                 fmt::format("fence_agent node [{}] is not a node of ha.cf", a.node),
                 "expected one of: " + all);
      continue;
    }
    if (devices && a.node != config.local_node && warned.insert(a.node).second)
      diag.warn(vigil_cf_file, a.line,
                fmt::format("fence_agent lines fence {}: ha.cf's stonith/stonith_host devices "
                            "are NOT used for {} (they still fence the nodes without a "
                            "fence_agent line)",
                            a.node, a.node));
  }
}

std::vector<std::string> stonith_reset_arguments(const FenceDevice& device,
                                                 const std::string& node) {
  return {"-t",
          device.type,
          device.params == FenceDevice::Params::kFile ? "-F" : "-p",
          device.argument,
          "-T",
          "reset",
          node};
}

}  // namespace vigil::conf
