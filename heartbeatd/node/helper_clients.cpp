#include "heartbeatd/node/helper_clients.h"

#include <utility>

namespace vigil::node {

void HelperClients::ipd_add(const proto::ResourcePlace& place, IpdResult done) {
  ipd_.add(place, std::move(done));
}

void HelperClients::ipd_remove(const proto::ResourcePlace& place, IpdResult done) {
  ipd_.remove(place, std::move(done));
}

void HelperClients::ipd_list(IpdList done) { ipd_.list(std::move(done)); }

void HelperClients::resourced(const proto::ResourcePlace& place, proto::resourced::Op op,
                              ResourcedReply done) {
  resourced_.request(place, op, std::move(done));
}

}  // namespace vigil::node
