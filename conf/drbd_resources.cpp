#include "conf/drbd_resources.h"

#include <algorithm>
#include <cctype>

#include "conf/resource_index.h"

namespace vigil::conf {

namespace {

// A drbddisk entry with exactly one usable name, or nullopt.
std::optional<std::string> drbd_name(const Resource& r) {
  if (r.is_ip() || r.name != kDrbdDiskAgent || r.args.size() != 1) return std::nullopt;
  if (!is_drbd_resource_name(r.args[0])) return std::nullopt;
  return r.args[0];
}

}  // namespace

bool is_drbd_resource_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxDrbdResourceName) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

std::vector<DrbdResource> drbd_resources(const Config& config) {
  std::vector<DrbdResource> out;
  std::uint32_t index = 0;
  for (const auto& group : config.groups) {
    for (const auto& r : group.resources) {
      auto name = drbd_name(r);
      if (name && std::none_of(out.begin(), out.end(),
                               [&](const DrbdResource& d) { return d.name == *name; }))
        out.push_back({*name, index});
      ++index;
    }
  }
  return out;
}

std::optional<std::uint32_t> drbd_resource_index(const Config& config, std::string_view name) {
  for (const auto& d : drbd_resources(config))
    if (d.name == name) return d.index;
  return std::nullopt;
}

std::optional<std::string> drbd_resource_at(const Config& config, std::uint32_t index) {
  auto place = resource_at(config, index);
  if (!place) return std::nullopt;
  return drbd_name(config.groups[place->first].resources[place->second]);
}

}  // namespace vigil::conf
