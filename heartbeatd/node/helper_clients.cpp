#include "heartbeatd/node/helper_clients.h"

#include <utility>

namespace vigil::node {

void HelperClients::ipd_add(const proto::ResourcePlace& place, IpdResult done) {
  ipd_.add(place, std::move(done));
}

void HelperClients::ipd_remove(const proto::ResourcePlace& place, IpdResult done) {
  ipd_.remove(place, std::move(done));
}

void HelperClients::ipd_announce(const proto::ResourcePlace& place, proto::ipd::AnnounceKind kind,
                                 IpdResult done) {
  ipd_.announce(place, kind, std::move(done));
}

void HelperClients::ipd_list(IpdList done) { ipd_.list(std::move(done)); }

void HelperClients::resourced(const proto::ResourcePlace& place, proto::resourced::Op op,
                              ResourcedReply done) {
  resourced_.request(place, op, std::move(done));
}

void HelperClients::fence(std::uint16_t node_index, ResourcedReply done) {
  resourced_.fence(node_index, std::move(done));
}

void HelperClients::outdate(std::uint16_t index, ResourcedReply done) {
  resourced_.outdate(index, std::move(done));
}

void HelperClients::resourced_monitor(std::uint16_t index, ResourcedReply done) {
  resourced_.monitor(index, std::move(done));
}

void HelperClients::cluster_event(proto::ClusterEvent event,
                                  std::vector<proto::EventField> fields) {
  resourced_.event(event, std::move(fields));
}

void HelperClients::observe(IpdEvent on_event, Connected on_connected) {
  ipd_.set_on_event(std::move(on_event));
  ipd_.set_on_state([on_connected](bool up) {
    if (up && on_connected) on_connected(Helper::kIpd);
  });
  resourced_.set_on_state([on_connected](bool up) {
    if (up && on_connected) on_connected(Helper::kResourced);
  });
}

}  // namespace vigil::node
