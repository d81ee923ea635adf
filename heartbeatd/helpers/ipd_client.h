// heartbeatd's side of the ipd boundary (ipd/server.h): one connection to
// RUNTIME_DIR/ipd.sock on the event loop.
//
//   IpdClient ipd(loop, {socket, config.hash, lease_ms}, on_event, on_state);
//   ipd.start();
//   ipd.add({group, position}, [](const proto::ipd::Result& r) {...});
//   ipd.list([](const proto::ipd::VipList& l) {...});  // what we hold
//
// - Connecting, Hello, the lease, reconnecting with backoff and the check
//   that root serves the socket: helper_client.h.
// - A request cut off by an ipd restart is sent again on the next
//   connection; that is safe because AddVip and RemoveVip are idempotent,
//   ListVips only reads and AnnounceVip only announces again. Requests made while disconnected wait
//   for the next connection; their callbacks are called when the answer arrives, never with a
//   made-up one.
// - Events (a VIP removed by someone else, a link down or up) go to the
//   event callback as they arrive.
// - Anything but a well-formed Result or VipList answering a pending
//   request of the matching kind, or an Event, closes the connection (then
//   reconnect), as the server does to us.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <utility>
#include <variant>

#include "common/event_loop.h"
#include "common/proto/ipd_messages.h"
#include "heartbeatd/helpers/helper_client.h"

namespace vigil::helpers {

using IpdClientOptions = HelperClientOptions;  // socket_path: RUNTIME_DIR/ipd.sock

class IpdClient : public HelperClient {
 public:
  using ResultCallback = std::function<void(const proto::ipd::Result& result)>;
  using ListCallback = std::function<void(const proto::ipd::VipList& list)>;
  using EventCallback = std::function<void(const proto::ipd::Event& event)>;

  // Does not connect yet: call start(). Callbacks may make requests; they
  // must not destroy the client.
  IpdClient(EventLoop& loop, IpdClientOptions options, EventCallback on_event = {},
            StateCallback on_state = {});
  // Closes the connection; pending callbacks are never called.
  ~IpdClient() override;

  // Each sends (or queues until connected) one request and returns its id;
  // the callback is called once with ipd's answer.
  std::uint32_t add(const proto::ResourcePlace& place, ResultCallback on_result);
  std::uint32_t remove(const proto::ResourcePlace& place, ResultCallback on_result);
  std::uint32_t list(ListCallback on_list);
  std::uint32_t announce(const proto::ResourcePlace& place, proto::ipd::AnnounceKind kind,
                         ResultCallback on_result);

  // Replaces the event callback given to the constructor.
  void set_on_event(EventCallback on_event) { on_event_ = std::move(on_event); }

  std::size_t in_flight() const override { return pending_.size(); }

 private:
  using Request = std::variant<proto::ipd::AddVip, proto::ipd::RemoveVip, proto::ipd::ListVips,
                               proto::ipd::AnnounceVip>;
  struct Pending {
    Request request;
    ResultCallback on_result;  // AddVip, RemoveVip, AnnounceVip
    ListCallback on_list;      // ListVips
  };

  vigil::Result<ipc::Bytes> encode(const proto::Hello& hello) const override;
  vigil::Result<ipc::Bytes> encode(const proto::Lease& lease) const override;
  bool resend_waiting() override;
  void on_frame(const ipc::Frame& frame) override;

  std::uint32_t submit(Pending pending);
  bool send_request(const Request& request);
  void on_result(const proto::ipd::Result& result);
  void on_list(const proto::ipd::VipList& list);

  EventCallback on_event_;
  std::map<std::uint32_t, Pending> pending_;
};

}  // namespace vigil::helpers
