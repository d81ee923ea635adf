// VipBackend over the real kernel: VipController (vip_controller.h) for
// acquire/release/watch, its netlink reads for inspect.
#pragma once

#include "ipd/vip_backend.h"
#include "ipd/vip_controller.h"

namespace vigil::ipd {

class KernelVips : public VipBackend {
 public:
  // `controller` must outlive this object.
  explicit KernelVips(VipController& controller) : controller_(controller) {}

  Result<AddOutcome> acquire(const conf::Resource& resource) override;
  Result<RemoveOutcome> release(const conf::Resource& resource) override;
  Result<VipPresence> inspect(const conf::Resource& resource) override;
  Status watch(const conf::Resource& resource) override;
  Status announce(const conf::Resource& resource, int rounds) override;

 private:
  VipController& controller_;
};

}  // namespace vigil::ipd
