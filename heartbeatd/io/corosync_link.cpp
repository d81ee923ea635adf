#include "heartbeatd/io/corosync_link.h"

#include <corosync/cmap.h>
#include <fmt/format.h>

#include <cstring>
#include <utility>

namespace vigil::io {

namespace {

std::string cs_text(const char* what, cs_error_t e) {
  return fmt::format("corosync: {} failed (cs_error_t {}){}", what, static_cast<int>(e),
                     e == CS_ERR_LIBRARY || e == CS_ERR_ACCESS
                         ? ": is corosync running, and does /etc/corosync/uidgid.d let this user "
                           "in?"
                         : "");
}

CorosyncLink* link_of_cpg(cpg_handle_t handle) {
  void* context = nullptr;
  if (cpg_context_get(handle, &context) != CS_OK) return nullptr;
  return static_cast<CorosyncLink*>(context);
}

void on_deliver(cpg_handle_t handle, const struct cpg_name*, uint32_t nodeid, uint32_t, void* msg,
                size_t len) {
  CorosyncLink* link = link_of_cpg(handle);
  if (link == nullptr || len > kMaxMessageBytes) return;  // as an oversized datagram: dropped
  const auto* bytes = static_cast<const std::byte*>(msg);
  link->sequencer().on_delivery(nodeid, std::vector<std::byte>(bytes, bytes + len));
}

void on_confchg(cpg_handle_t handle, const struct cpg_name*, const struct cpg_address* members,
                size_t count, const struct cpg_address* left, size_t left_count,
                const struct cpg_address*, size_t) {
  CorosyncLink* link = link_of_cpg(handle);
  if (link == nullptr) return;
  std::vector<std::uint32_t> ids;
  for (size_t i = 0; i < count; ++i) ids.push_back(members[i].nodeid);
  bool nodes_down = false;
  for (size_t i = 0; i < left_count; ++i)
    nodes_down = nodes_down || left[i].reason == CPG_REASON_NODEDOWN;
  link->sequencer().on_members(std::move(ids), nodes_down);
}

void on_totem_confchg(cpg_handle_t handle, struct cpg_ring_id ring, uint32_t count,
                      const uint32_t* members) {
  if (CorosyncLink* link = link_of_cpg(handle))
    link->sequencer().on_ring(ring.seq, std::vector<std::uint32_t>(members, members + count));
}

void on_quorum(quorum_handle_t handle, uint32_t quorate, uint64_t ring_seq, uint32_t, uint32_t*) {
  const void* context = nullptr;
  if (quorum_context_get(handle, &context) != CS_OK || context == nullptr) return;
  auto* link = const_cast<CorosyncLink*>(static_cast<const CorosyncLink*>(context));
  link->sequencer().on_quorum(quorate != 0, ring_seq);
}

}  // namespace

Result<std::unique_ptr<CorosyncLink>> CorosyncLink::open(const std::string& group) {
  std::unique_ptr<CorosyncLink> link(new CorosyncLink());
  if (auto s = link->read_nodelist(); !s) return s.error();

  cpg_model_v1_data_t model{};
  model.model = CPG_MODEL_V1;
  model.cpg_deliver_fn = on_deliver;
  model.cpg_confchg_fn = on_confchg;
  model.cpg_totem_confchg_fn = on_totem_confchg;
  model.flags = CPG_MODEL_V1_DELIVER_INITIAL_TOTEM_CONF;
  if (auto e = cpg_model_initialize(&link->cpg_, CPG_MODEL_V1,
                                    reinterpret_cast<cpg_model_data_t*>(&model), link.get());
      e != CS_OK)
    return Error{cs_text("cpg_model_initialize", e)};
  link->cpg_open_ = true;
  if (auto e = cpg_fd_get(link->cpg_, &link->cpg_fd_); e != CS_OK)
    return Error{cs_text("cpg_fd_get", e)};

  quorum_model_v0_data_t qmodel{};
  qmodel.model = QUORUM_MODEL_V0;
  qmodel.quorum_notify_fn = on_quorum;
  uint32_t quorum_type = 0;
  if (auto e = quorum_model_initialize(&link->quorum_, QUORUM_MODEL_V0,
                                       reinterpret_cast<quorum_model_data_t*>(&qmodel),
                                       &quorum_type, link.get());
      e != CS_OK)
    return Error{cs_text("quorum_model_initialize", e)};
  link->quorum_open_ = true;
  if (quorum_type != QUORUM_SET)
    return Error{
        "corosync: no quorum provider (corosync.conf needs `quorum { provider: "
        "corosync_votequorum }`)"};
  if (auto e = quorum_fd_get(link->quorum_, &link->quorum_fd_); e != CS_OK)
    return Error{cs_text("quorum_fd_get", e)};
  if (auto e = quorum_trackstart(link->quorum_, CS_TRACK_CHANGES | CS_TRACK_CURRENT); e != CS_OK)
    return Error{cs_text("quorum_trackstart", e)};

  struct cpg_name name {};
  name.length = static_cast<uint32_t>(group.size());
  std::memcpy(name.value, group.data(), group.size());
  if (auto e = cpg_join(link->cpg_, &name); e != CS_OK) return Error{cs_text("cpg_join", e)};
  return link;
}

CorosyncLink::~CorosyncLink() {
  if (quorum_open_) quorum_finalize(quorum_);
  if (cpg_open_) cpg_finalize(cpg_);
}

// corosync.conf's nodelist, as cmap holds it: nodelist.node.<i>.name and
// .nodeid (knet needs both).
Status CorosyncLink::read_nodelist() {
  cmap_handle_t cmap = 0;
  if (auto e = cmap_initialize(&cmap); e != CS_OK) return Error{cs_text("cmap_initialize", e)};
  for (unsigned i = 0; i < 384; ++i) {  // corosync's compiled limit of processors
    uint32_t id = 0;
    char* name = nullptr;
    if (cmap_get_uint32(cmap, fmt::format("nodelist.node.{}.nodeid", i).c_str(), &id) != CS_OK)
      break;
    if (cmap_get_string(cmap, fmt::format("nodelist.node.{}.name", i).c_str(), &name) == CS_OK) {
      names_[id] = name;
      std::free(name);
    }
  }
  cmap_finalize(cmap);
  if (names_.empty())
    return Error{
        "corosync: the nodelist has no node with both `name` and `nodeid` (they must be "
        "ha.cf's node names)"};
  return {};
}

Status CorosyncLink::send(std::span<const std::byte> message) {
  struct iovec iov {};
  iov.iov_base = const_cast<std::byte*>(message.data());
  iov.iov_len = message.size();
  if (auto e = cpg_mcast_joined(cpg_, CPG_TYPE_AGREED, &iov, 1); e != CS_OK)
    return Error{cs_text("cpg_mcast_joined", e)};
  return {};
}

Status CorosyncLink::dispatch_cpg() {
  if (auto e = cpg_dispatch(cpg_, CS_DISPATCH_ALL); e != CS_OK && e != CS_ERR_TRY_AGAIN)
    return Error{cs_text("cpg_dispatch", e)};
  return {};
}

Status CorosyncLink::dispatch_quorum() {
  if (auto e = quorum_dispatch(quorum_, CS_DISPATCH_ALL); e != CS_OK && e != CS_ERR_TRY_AGAIN)
    return Error{cs_text("quorum_dispatch", e)};
  return {};
}

Status CorosyncLink::give_up_waiting() {
  int quorate = 0;
  if (auto e = quorum_getquorate(quorum_, &quorate); e != CS_OK)
    return Error{cs_text("quorum_getquorate", e)};
  sequencer_.give_up_waiting(quorate != 0);
  return {};
}

std::vector<CorosyncLink::Event> CorosyncLink::events() {
  std::vector<Event> out;
  for (auto& e : sequencer_.take()) {
    if (auto* d = std::get_if<RingSequencer::Delivery>(&e)) {
      out.emplace_back(Delivery{fmt::format("nodeid {}", d->nodeid), std::move(d->bytes)});
    } else if (auto* m = std::get_if<RingSequencer::Membership>(&e)) {
      Members members;
      members.quorate = m->quorate;
      for (auto id : m->nodeids) {
        if (auto it = names_.find(id); it != names_.end())
          members.names.push_back(it->second);
        else
          members.unnamed.push_back(id);
      }
      for (auto id : m->ring)
        if (auto it = names_.find(id); it != names_.end()) members.in_ring.push_back(it->second);
      out.emplace_back(std::move(members));
    } else {
      out.emplace_back(Quorum{std::get<RingSequencer::Quorum>(e).quorate});
    }
  }
  return out;
}

}  // namespace vigil::io
