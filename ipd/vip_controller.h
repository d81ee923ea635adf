// What ipd does with VIPs, in one place for the IPC server (and the test
// tool) to call: acquire = add + announce + watch; release = stop watching
// + stop announcing + remove; events for VIPs removed behind ipd's back and
// for links going down or up. When a link comes back up, the VIPs held on
// it are announced again by themselves.
//
// The only state kept is which VIPs this process was asked to hold (so that
// their disappearance is noticed); what is configured is always read from
// the kernel. A fresh ipd holds nothing until asked, and asking for a VIP
// that is already configured is cheap and re-announces it.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "common/result.h"
#include "conf/config.h"
#include "ipd/address_manager.h"
#include "ipd/announcer.h"
#include "ipd/netlink_watcher.h"
#include "ipd/packet_socket.h"
#include "ipd/vip_watch.h"

namespace vigil::ipd {

class VipController {
 public:
  using EventCallback = std::function<void(const WatchEvent&)>;

  // Opens rtnetlink (address requests and notifications) and the
  // AF_PACKET socket. `on_event` runs on the loop.
  static Result<std::unique_ptr<VipController>> open(EventLoop& loop, EventCallback on_event);
  ~VipController();

  // Resolves a haresources IP entry against the current kernel state.
  Result<ResolvedVip> resolve(const conf::Resource& resource);
  Result<ResolvedVip> resolve(const conf::IpSpec& spec, VipForm form);

  // Adds `vip` (idempotent), announces it, and watches it.
  Result<AddOutcome> acquire(const ResolvedVip& vip);
  // Stops watching and announcing `vip`, then removes it (idempotent).
  Result<RemoveOutcome> release(const ResolvedVip& vip);
  // Announces `vip` again if it is configured (e.g. after a link came up).
  Status reannounce(const ResolvedVip& vip);
  // Watches `vip` without adding it (it is already configured; a restarted
  // ipd told again what it holds).
  void watch(const ResolvedVip& vip);

  // What the kernel has now.
  Result<KernelState> kernel_state() { return manager_->read_state(); }
  Result<std::vector<AddressInfo>> list() { return manager_->list(); }
  Announcer& announcer() { return *announcer_; }

 private:
  explicit VipController(EventCallback on_event);
  void on_change(const KernelChange& change);
  void resync();

  EventCallback on_event_;
  std::unique_ptr<AddressManager> manager_;
  std::unique_ptr<PacketSocket> packets_;
  std::unique_ptr<Announcer> announcer_;
  std::unique_ptr<NetlinkWatcher> watcher_;
  VipWatch watch_;
  std::map<std::string, ResolvedVip> held_;  // by address text
};

}  // namespace vigil::ipd
