#include "ipd/ip_entries.h"

#include <algorithm>
#include <cstdint>

namespace vigil::ipd {

std::vector<proto::ResourcePlace> ip_entries(const conf::Config& config) {
  std::vector<proto::ResourcePlace> places;
  for (std::size_t g = 0; g < config.groups.size(); ++g) {
    const auto& resources = config.groups[g].resources;
    for (std::size_t p = 0; p < resources.size(); ++p)
      if (resources[p].is_ip())
        places.push_back(
            proto::ResourcePlace{static_cast<std::uint16_t>(g), static_cast<std::uint16_t>(p)});
  }
  return places;
}

std::vector<proto::ResourcePlace> release_order(const conf::Config& config) {
  auto places = ip_entries(config);
  std::reverse(places.begin(), places.end());
  return places;
}

}  // namespace vigil::ipd
