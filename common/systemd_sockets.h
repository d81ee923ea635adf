// Sockets passed in by systemd socket activation (sd_listen_fds(3)): the
// service's .socket units hold the Unix and UDP sockets so a restarting
// daemon loses no connection attempt or packet (architecture.md).
#pragma once

#include <optional>
#include <string_view>

#include "common/unique_fd.h"

namespace vigil::systemd {

// Takes ownership of the passed socket named `name` (FileDescriptorName=
// in the .socket unit) and makes it non-blocking. nullopt when not socket
// activated, when no socket has that name, or when it was taken already:
// each passed descriptor has exactly one owner.
std::optional<UniqueFd> take_listen_fd(std::string_view name);

}  // namespace vigil::systemd
