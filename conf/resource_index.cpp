#include "conf/resource_index.h"

namespace vigil::conf {

std::optional<std::pair<std::uint16_t, std::uint16_t>> resource_at(const Config& config,
                                                                   std::uint32_t index) {
  for (std::size_t g = 0; g < config.groups.size(); ++g) {
    const std::size_t size = config.groups[g].resources.size();
    if (index < size)
      return std::pair{static_cast<std::uint16_t>(g), static_cast<std::uint16_t>(index)};
    index -= static_cast<std::uint32_t>(size);
  }
  return std::nullopt;
}

std::uint32_t resource_index(const Config& config, std::uint16_t group, std::uint16_t position) {
  std::uint32_t index = 0;
  for (std::size_t g = 0; g < group; ++g)
    index += static_cast<std::uint32_t>(config.groups[g].resources.size());
  return index + position;
}

}  // namespace vigil::conf
