// One heartbeat medium as the daemon sees it: a named link that sends
// whole cluster messages and hands back the datagrams that arrive on it.
// Every message is sent on every medium; receivers de-duplicate by
// sequence number, and each copy refreshes its link's state
// (heartbeat-compat.md §5.1). Tests and the simulator implement this
// interface without sockets.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "heartbeatd/io/socket_address.h"

namespace vigil::io {

// A cluster message is at most 256 KiB (heartbeat-compat.md §5.1, MAXMSG).
inline constexpr std::size_t kMaxMessageBytes = 256 * 1024;

struct Datagram {
  std::vector<std::byte> bytes;  // exactly what arrived, never more than kMaxMessageBytes
  SocketAddress from;            // the sender (untrusted: any host can forge it)
  // The link it arrived on when that is not the medium's own (a receive
  // socket shared by the media of several interfaces); empty otherwise.
  std::string link;
};

class Medium {
 public:
  virtual ~Medium() = default;

  // The interface name of the ha.cf line (`eth1`): heartbeat's link name,
  // as in `Link node2:eth1 up.`
  virtual const std::string& link_name() const = 0;

  // Sends one message to the medium's destination without blocking. An
  // error (link down, buffer full, message too large) loses this copy
  // only; the caller logs it and goes on.
  virtual Status send(std::span<const std::byte> message) = 0;

  // Readable when receive() has something; for the event loop. Owned by
  // the medium.
  virtual int receive_fd() const = 0;

  // The next datagram, or nullopt when none is waiting. A datagram larger
  // than kMaxMessageBytes is consumed and reported as an Error.
  virtual Result<std::optional<Datagram>> receive() = 0;
};

}  // namespace vigil::io
