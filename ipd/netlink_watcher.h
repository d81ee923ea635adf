// Listens to rtnetlink's address and link notifications
// (RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR, RTNLGRP_LINK) on the event
// loop and hands each change to a callback as plain data
// (kernel_change.h). Deciding what a change means is VipWatch's job.
#pragma once

#include <functional>
#include <memory>

#include "common/event_loop.h"
#include "common/io_watcher.h"
#include "common/result.h"
#include "ipd/kernel_change.h"
#include "ipd/netlink.h"

struct nl_msg;

namespace vigil::ipd {

class NetlinkWatcher {
 public:
  using Callback = std::function<void(const KernelChange&)>;

  // Subscribes at once; changes flow while the loop runs. Changes made
  // before open() returns are not reported: read the kernel state after
  // opening the watcher, not before, so nothing falls in between.
  static Result<std::unique_ptr<NetlinkWatcher>> open(EventLoop& loop, Callback callback);
  ~NetlinkWatcher();
  NetlinkWatcher(const NetlinkWatcher&) = delete;
  NetlinkWatcher& operator=(const NetlinkWatcher&) = delete;

 private:
  NetlinkWatcher(netlink::Socket sock, Callback callback);
  void on_readable();
  static int on_message(nl_msg* msg, void* self);

  netlink::Socket sock_;
  Callback callback_;
  std::unique_ptr<IoWatcher> io_;
};

}  // namespace vigil::ipd
