#include "resourced/release_order.h"

#include <cstdint>

namespace vigil::resourced {

std::vector<proto::ResourcePlace> release_order(const conf::Config& config) {
  std::vector<proto::ResourcePlace> order;
  for (std::size_t g = config.groups.size(); g-- > 0;) {
    const auto& resources = config.groups[g].resources;
    for (std::size_t p = resources.size(); p-- > 0;) {
      if (resources[p].is_ip()) continue;
      order.push_back(proto::ResourcePlace{static_cast<std::uint16_t>(g),
                                           static_cast<std::uint16_t>(p)});
    }
  }
  return order;
}

}  // namespace vigil::resourced
