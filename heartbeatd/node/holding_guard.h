// Keeps what this node holds running while heartbeatd runs, where the
// ownership module cannot see (it knows what it started, not what the
// kernel or a helper did since):
//
//   * ipd reports a VIP removed by someone else (an admin's `ip addr del`,
//     NetworkManager or systemd-networkd reconfiguring the link): logged;
//     if its group is held here and no walk is on it, added again through
//     ipd (idempotent; ipd announces it again).
//   * ipd reports a link down or up: logged (heartbeat's links are the
//     core's business; this is the interface a VIP lives on).
//   * A helper's connection (re)opens — it restarted, or its lease ran out
//     while we could not reach it and it released everything
//     (resourced/server.h: "it then finds the resources stopped (status)
//     and starts what it owns"): every resource of the held groups that
//     helper serves is checked (ListVips, status), and only what is found
//     missing is added or started again, with a warning. A healthy
//     restart therefore only reads.
//
// "Held" is the caller's predicate, asked again when an answer arrives, so
// a walk that began meanwhile is never undone: its requests follow ours on
// the same connection, and the helper runs them in order.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

#include "common/proto/ipd_messages.h"
#include "common/proto/resourced_messages.h"
#include "conf/config.h"
#include "heartbeatd/node/helper_port.h"

namespace vigil::node {

class HoldingGuard {
 public:
  // True when `group` runs here and no walk is on it.
  using Held = std::function<bool(std::size_t group)>;

  // `config` and `helpers` must outlive the guard; answers arriving after
  // it is gone are dropped.
  HoldingGuard(const conf::Config& config, HelperPort& helpers, Held held);
  HoldingGuard(const HoldingGuard&) = delete;
  HoldingGuard& operator=(const HoldingGuard&) = delete;

  void on_ipd_event(const proto::ipd::Event& event);
  void on_connected(HelperPort::Helper helper);

 private:
  void check_vips();
  void check_scripts();
  void restore(const proto::ResourcePlace& place, const char* why);
  bool place_valid(const proto::ResourcePlace& place) const;

  const conf::Config& config_;
  HelperPort& helpers_;
  Held held_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace vigil::node
