// The DRBD resources this cluster manages, read from haresources: every
// `drbddisk::NAME` entry (heartbeat's resource.d/drbddisk, the way v1
// clusters promote DRBD). They are the only things DRBD's fence-peer
// exchange may outdate (heartbeatd/engine/peer_outdate.h): a request naming
// any other resource is refused on both nodes, and resourced runs
// `drbdadm outdate NAME` only for an index this list gives
// (resourced/drbd_outdater.h). A bare `drbddisk` (all resources) names
// none: outdating has to name one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conf/config.h"

namespace vigil::conf {

inline constexpr const char* kDrbdDiskAgent = "drbddisk";
// DRBD's own limit on resource names is generous; these travel in cluster
// messages and log lines, so vigil takes letters, digits, '_', '-', '.'.
inline constexpr std::size_t kMaxDrbdResourceName = 64;

struct DrbdResource {
  std::string name;     // as after drbddisk:: in haresources
  std::uint32_t index;  // its resource index (resource_index.h)
  bool operator==(const DrbdResource&) const = default;
};

bool is_drbd_resource_name(std::string_view name);

// In haresources order; a name listed twice appears once (the first).
std::vector<DrbdResource> drbd_resources(const Config& config);
// The resource index of drbddisk::`name`, if haresources has it.
std::optional<std::uint32_t> drbd_resource_index(const Config& config, std::string_view name);
// The name of the drbddisk entry at resource index `index`, if it is one.
std::optional<std::string> drbd_resource_at(const Config& config, std::uint32_t index);

}  // namespace vigil::conf
