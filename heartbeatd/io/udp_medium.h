// The Medium of every UDP kind (bcast, ucast, mcast, ucast6, mcast6): a
// send socket with a fixed destination and a receive socket, built from a
// MediumPlan (media_plans.h) by open_media (open_media.h).
//
// A receive socket may be shared by the media of several interfaces (the
// one systemd binds for udpport, inherited_sockets.h): then it is bound to
// no device, and each datagram's arriving interface (IP_PKTINFO /
// IPV6_RECVPKTINFO) names its link through `arrival`; datagrams that
// arrived on an interface with no medium are dropped, as a socket bound
// to the medium's device would never have seen them.
#pragma once

#include <map>
#include <memory>

#include "common/unique_fd.h"
#include "heartbeatd/io/media_plans.h"
#include "heartbeatd/io/medium.h"

namespace vigil::io {

class UdpMedium final : public Medium {
 public:
  // ifindex -> link name of every medium sharing a receive socket.
  using ArrivalLinks = std::map<int, std::string>;

  // `arrival` null: the receive socket is the medium's own.
  UdpMedium(MediumPlan plan, UniqueFd send_fd, UniqueFd receive_fd,
            std::shared_ptr<const ArrivalLinks> arrival = nullptr);

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
  std::shared_ptr<const ArrivalLinks> arrival_;
};

}  // namespace vigil::io
