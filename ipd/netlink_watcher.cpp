#include "ipd/netlink_watcher.h"

#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/object.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/socket.h>

#include "common/log.h"

namespace vigil::ipd {

namespace {

// Large enough that a link flap with many addresses does not overflow;
// when it does anyway, ChangesLost makes the caller re-read everything.
constexpr int kReceiveBuffer = 1 << 20;

void deliver(nl_object* obj, void* arg) {
  auto& callback = *static_cast<NetlinkWatcher::Callback*>(arg);
  switch (nl_object_get_msgtype(obj)) {
    case RTM_NEWADDR:
    case RTM_DELADDR:
      if (auto a = netlink::to_address_info(reinterpret_cast<rtnl_addr*>(obj)))
        callback(AddressChange{nl_object_get_msgtype(obj) == RTM_DELADDR, *a});
      break;
    case RTM_NEWLINK:
    case RTM_DELLINK:
      callback(LinkChange{nl_object_get_msgtype(obj) == RTM_DELLINK,
                          netlink::to_link_info(reinterpret_cast<rtnl_link*>(obj))});
      break;
    default:
      break;
  }
}

}  // namespace

Result<std::unique_ptr<NetlinkWatcher>> NetlinkWatcher::open(EventLoop& loop, Callback callback) {
  netlink::Socket sock(nl_socket_alloc());
  if (!sock) return Error{"netlink: cannot allocate a socket"};
  // Notifications carry no sequence numbers of ours.
  nl_socket_disable_seq_check(sock.get());
  if (const int err = nl_connect(sock.get(), NETLINK_ROUTE); err < 0)
    return netlink::error("netlink connect", err);
  if (const int err = nl_socket_add_memberships(sock.get(), RTNLGRP_IPV4_IFADDR,
                                                RTNLGRP_IPV6_IFADDR, RTNLGRP_LINK, 0);
      err < 0)
    return netlink::error("netlink subscribe", err);
  if (const int err = nl_socket_set_nonblocking(sock.get()); err < 0)
    return netlink::error("netlink non-blocking", err);
  if (const int err = nl_socket_set_buffer_size(sock.get(), kReceiveBuffer, 0); err < 0)
    log::warn(std::string("netlink receive buffer: ") + nl_geterror(err));

  std::unique_ptr<NetlinkWatcher> w(new NetlinkWatcher(std::move(sock), std::move(callback)));
  nl_socket_modify_cb(w->sock_.get(), NL_CB_VALID, NL_CB_CUSTOM, &NetlinkWatcher::on_message,
                      w.get());
  w->io_ = std::make_unique<IoWatcher>(loop, nl_socket_get_fd(w->sock_.get()),
                                       IoWatcher::Interest::kRead,
                                       [self = w.get()](IoReady) { self->on_readable(); });
  w->io_->start();
  return w;
}

NetlinkWatcher::NetlinkWatcher(netlink::Socket sock, Callback callback)
    : sock_(std::move(sock)), callback_(std::move(callback)) {}

NetlinkWatcher::~NetlinkWatcher() = default;

int NetlinkWatcher::on_message(nl_msg* msg, void* self) {
  auto* w = static_cast<NetlinkWatcher*>(self);
  nl_msg_parse(msg, &deliver, &w->callback_);
  return NL_OK;
}

void NetlinkWatcher::on_readable() {
  const int err = nl_recvmsgs_default(sock_.get());
  if (err == -NLE_NOMEM) {  // ENOBUFS: the kernel dropped notifications
    callback_(ChangesLost{});
  } else if (err < 0 && err != -NLE_AGAIN) {
    log::warn(std::string("netlink watcher: ") + nl_geterror(err));
  }
}

}  // namespace vigil::ipd
