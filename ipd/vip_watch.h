// Decides which kernel changes matter to the holder of VIPs — sans-IO:
// kernel changes in (kernel_change.h), events out.
//
//  * A VIP we manage disappearing is "removed by someone else" (an admin's
//    `ip addr del`, systemd-networkd or NetworkManager reconfiguring the
//    link — field-notes.md A13). ipd stops managing a VIP before it removes
//    it itself (unmanage), so its own removals raise nothing.
//  * A link going from usable (up with carrier) to not, or back, is a link
//    down / link up event. A link that vanishes while usable is a link down.
//  * Lost notifications are reported so the caller re-reads the kernel.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "ipd/kernel_change.h"
#include "ipd/kernel_state.h"
#include "ipd/vip.h"

namespace vigil::ipd {

struct WatchEvent {
  enum class Kind { kVipRemoved, kLinkDown, kLinkUp, kResyncNeeded };
  Kind kind = Kind::kResyncNeeded;
  int ifindex = 0;
  std::string interface;             // may be empty for kResyncNeeded
  std::optional<IpAddress> address;  // kVipRemoved only

  // The stable event id logged as VIGIL_EVENT: "vip-removed", "link-down",
  // "link-up", "resync-needed".
  const char* event_id() const;
  // One line for logs: "vip-removed 10.0.0.5 eth1", "link-down eth1".
  std::string describe() const;
};

class VipWatch {
 public:
  // Takes the links' current states as the baseline for transitions.
  void reset(const KernelState& kernel);

  void manage(const ResolvedVip& vip);
  void unmanage(const IpAddress& address);
  bool manages(const IpAddress& address) const;

  std::optional<WatchEvent> on_change(const KernelChange& change);

 private:
  std::optional<WatchEvent> on_address(const AddressChange& change);
  std::optional<WatchEvent> on_link(const LinkChange& change);

  struct Managed {
    int ifindex = 0;
    std::string interface;
  };
  std::map<std::string, Managed> managed_;  // by address text
  struct Link {
    std::string name;
    bool usable = false;
  };
  std::map<int, Link> links_;  // by ifindex
};

}  // namespace vigil::ipd
