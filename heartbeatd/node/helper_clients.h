// HelperPort over heartbeatd's two event-loop clients (heartbeatd/helpers/).
#pragma once

#include "heartbeatd/helpers/ipd_client.h"
#include "heartbeatd/helpers/resourced_client.h"
#include "heartbeatd/node/helper_port.h"

namespace vigil::node {

class HelperClients final : public HelperPort {
 public:
  HelperClients(helpers::IpdClient& ipd, helpers::ResourcedClient& resourced)
      : ipd_(ipd), resourced_(resourced) {}

  void ipd_add(const proto::ResourcePlace& place, IpdResult done) override;
  void ipd_remove(const proto::ResourcePlace& place, IpdResult done) override;
  void ipd_announce(const proto::ResourcePlace& place, proto::ipd::AnnounceKind kind,
                    IpdResult done) override;
  void ipd_list(IpdList done) override;
  void resourced(const proto::ResourcePlace& place, proto::resourced::Op op,
                 ResourcedReply done) override;
  void fence(std::uint16_t node_index, ResourcedReply done) override;
  void outdate(std::uint16_t index, ResourcedReply done) override;
  void resourced_monitor(std::uint16_t index, ResourcedReply done) override;
  void observe(IpdEvent on_event, Connected on_connected) override;
  void cluster_event(proto::ClusterEvent event, std::vector<proto::EventField> fields) override;

 private:
  helpers::IpdClient& ipd_;
  helpers::ResourcedClient& resourced_;
};

}  // namespace vigil::node
