// ipd's privilege floor, applied once at start before any input is read:
// every capability except CAP_NET_ADMIN (addresses) and CAP_NET_RAW (the
// AF_PACKET announcement socket) is dropped from the effective, permitted,
// inheritable, ambient and bounding sets, and PR_SET_NO_NEW_PRIVS is set,
// so neither ipd nor anything it might ever exec regains more.
#pragma once

#include "common/result.h"

namespace vigil::ipd {

// Errors when CAP_NET_ADMIN or CAP_NET_RAW is not in the permitted set to
// begin with. Removing other capabilities from the bounding set needs
// CAP_SETPCAP; without it (ipd started with only the two it needs, e.g. by
// systemd's AmbientCapabilities) the bounding set is left to systemd.
Status drop_privileges();

}  // namespace vigil::ipd
