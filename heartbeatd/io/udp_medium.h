// The Medium of every UDP kind (bcast, ucast, mcast, ucast6, mcast6): a
// send socket with a fixed destination and a receive socket, built from a
// MediumPlan (media_plans.h) by open_media (open_media.h).
#pragma once

#include "common/unique_fd.h"
#include "heartbeatd/io/media_plans.h"
#include "heartbeatd/io/medium.h"

namespace vigil::io {

class UdpMedium final : public Medium {
 public:
  UdpMedium(MediumPlan plan, UniqueFd send_fd, UniqueFd receive_fd);

  const std::string& link_name() const override { return plan_.link_name; }
  Status send(std::span<const std::byte> message) override;
  int receive_fd() const override { return receive_fd_.get(); }
  Result<std::optional<Datagram>> receive() override;

  const MediumPlan& plan() const { return plan_; }

 private:
  MediumPlan plan_;
  UniqueFd send_fd_;
  UniqueFd receive_fd_;
  std::vector<std::byte> buffer_;
};

}  // namespace vigil::io
