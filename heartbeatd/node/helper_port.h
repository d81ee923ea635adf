// The calls heartbeatd's executor (cluster_node.h) makes to the root helpers, as a seam:
// heartbeatd implements it over helpers::IpdClient and
// helpers::ResourcedClient (helper_clients.h), tests over fakes.
//
// Contract: each call answers exactly once, through its callback, from the
// event loop (never from inside the call) — or never, if the helper never
// answers (the clients re-send across reconnections and do not make answers
// up). Callbacks may make further calls.
//
// observe() registers who hears what the helpers say unasked: ipd's events
// (a VIP removed by someone else, a link down or up) and every connection
// to a helper that said Hello (the first one and each after a drop). One
// observer; a second call replaces the first.
#pragma once

#include <functional>

#include "common/proto/helper_common.h"
#include "common/proto/ipd_messages.h"
#include "common/proto/resourced_messages.h"
#include "heartbeatd/engine/vocabulary.h"

namespace vigil::node {

class HelperPort {
 public:
  using IpdResult = std::function<void(const proto::ipd::Result&)>;
  using IpdList = std::function<void(const proto::ipd::VipList&)>;
  using ResourcedReply = std::function<void(const proto::resourced::Reply&)>;

  using Helper = engine::Helper;
  using IpdEvent = std::function<void(const proto::ipd::Event&)>;
  using Connected = std::function<void(Helper)>;

  virtual ~HelperPort() = default;
  virtual void ipd_add(const proto::ResourcePlace& place, IpdResult done) = 0;
  virtual void ipd_remove(const proto::ResourcePlace& place, IpdResult done) = 0;
  virtual void ipd_list(IpdList done) = 0;
  virtual void ipd_announce(const proto::ResourcePlace& place, proto::ipd::AnnounceKind kind,
                            IpdResult done) = 0;
  virtual void resourced(const proto::ResourcePlace& place, proto::resourced::Op op,
                         ResourcedReply done) = 0;
  // Reset ha.cf node #node_index (resourced Task kFence, node_fencer.h).
  virtual void fence(std::uint16_t node_index, ResourcedReply done) = 0;
  // `drbdadm outdate` of haresources resource `index`, a drbddisk entry
  // (resourced Task kOutdatePeer, resourced/drbd_outdater.h).
  virtual void outdate(std::uint16_t index, ResourcedReply done) = 0;
  // One health check of haresources resource `index` (conf/resource_index.h;
  // a resourced Task of kind kMonitor).
  virtual void resourced_monitor(std::uint16_t index, ResourcedReply done) = 0;
  virtual void observe(IpdEvent on_event, Connected on_connected) = 0;
  // One cluster event for resourced's rc.d scripts and notify hook (sent
  // now or queued until connected; never answered).
  virtual void cluster_event(proto::ClusterEvent event, std::vector<proto::EventField> fields) = 0;
};

}  // namespace vigil::node
