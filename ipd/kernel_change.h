// One change the kernel reported on rtnetlink, as plain data: what
// NetlinkWatcher produces and VipWatch consumes.
#pragma once

#include <variant>

#include "ipd/kernel_state.h"

namespace vigil::ipd {

struct AddressChange {
  bool removed = false;  // RTM_DELADDR; else RTM_NEWADDR (added or updated)
  AddressInfo address;
};

struct LinkChange {
  bool removed = false;  // RTM_DELLINK; else RTM_NEWLINK (added or changed)
  LinkInfo link;
};

// The kernel dropped notifications (the socket buffer overflowed): what
// ipd believes may be stale; re-read the kernel state.
struct ChangesLost {};

using KernelChange = std::variant<AddressChange, LinkChange, ChangesLost>;

}  // namespace vigil::ipd
