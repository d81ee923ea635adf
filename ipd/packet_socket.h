// Sending whole Ethernet frames on an interface: the announcer's only way
// out. FrameSender is the seam tests replace; PacketSocket is the real one,
// an AF_PACKET socket (needs CAP_NET_RAW) that never receives (protocol 0)
// and never blocks.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"

namespace vigil::ipd {

class FrameSender {
 public:
  virtual ~FrameSender() = default;
  // Sends `frame` (destination MAC in bytes 0–5, EtherType in 12–13) out of
  // interface `ifindex`. Never blocks: a full queue is an Error.
  virtual Status send(int ifindex, const std::vector<std::uint8_t>& frame) = 0;
};

class PacketSocket final : public FrameSender {
 public:
  static Result<std::unique_ptr<PacketSocket>> open();
  Status send(int ifindex, const std::vector<std::uint8_t>& frame) override;

 private:
  explicit PacketSocket(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace vigil::ipd
