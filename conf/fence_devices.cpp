#include "conf/fence_devices.h"

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
