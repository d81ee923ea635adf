// A resource of haresources named by one number: the groups flattened in
// file order, each group's resources in start order, from 0. This is how a
// resourced Task names a resource (resourced_messages.h, kMonitor), since a
// Task carries one index; both sides compute it from the configuration
// they loaded (its hash proves it is the same one).
#pragma once

#include <cstdint>
#include <optional>
#include <utility>

#include "conf/config.h"

namespace vigil::conf {

// (group, position) of resource `index`, or nullopt past the last one.
std::optional<std::pair<std::uint16_t, std::uint16_t>> resource_at(const Config& config,
                                                                   std::uint32_t index);
// The index of (group, position); the pair must exist in `config`.
std::uint32_t resource_index(const Config& config, std::uint16_t group, std::uint16_t position);

}  // namespace vigil::conf
