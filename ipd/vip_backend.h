// What the IPC server (server.h) needs from the kernel, per haresources IP
// entry: the seam between the protocol and netlink, so the server's
// decisions (permits, lease expiry, event forwarding) are tested without
// root and without a kernel (a fake in tests/ipd). KernelVips
// (kernel_vips.h) is the real one, over VipController.
//
// Every call resolves the entry against the kernel as it is now
// (resolve.h): ipd keeps no state of its own.
#pragma once

#include <string>

#include "common/result.h"
#include "conf/config.h"
#include "ipd/address_manager.h"

namespace vigil::ipd {

struct VipPresence {
  bool present = false;   // configured on its interface now
  std::string interface;  // where it is or would be; "" if it resolves nowhere
  std::string describe;   // "192.0.2.50/24 on eth1", for log lines
};

class VipBackend {
 public:
  virtual ~VipBackend() = default;

  // `resource` is an IP entry (conf::Resource::is_ip()).
  // Adds it (idempotent), announces it (again) and watches it.
  virtual Result<AddOutcome> acquire(const conf::Resource& resource) = 0;
  // Stops watching and announcing it, removes it (idempotent).
  virtual Result<RemoveOutcome> release(const conf::Resource& resource) = 0;
  // Whether it is configured now, and where.
  virtual Result<VipPresence> inspect(const conf::Resource& resource) = 0;
  // Watches it without adding it (a restarted ipd finds it configured).
  virtual Status watch(const conf::Resource& resource) = 0;
  // Announces it again if it is configured (never adds it): `rounds`
  // rounds of its agent's schedule, or the whole schedule when 0
  // (announcement_schedule.h). An error when it is not configured here.
  virtual Status announce(const conf::Resource& resource, int rounds) = 0;
};

}  // namespace vigil::ipd
