// Starts every UDP medium of ha.cf (heartbeat-compat.md §2.4, §6.2 step 1):
// learns each interface, resolves ucast peers, plans the sockets
// (media_plans.h), takes the receive socket from systemd when one was
// passed (inherited_sockets.h) or opens it, opens the send socket, and logs
// heartbeat's start line for each medium.
//
// Binding udpport 694 needs root or CAP_NET_BIND_SERVICE unless systemd
// passed the socket: call this before privilege.h drops them.
#pragma once

#include <memory>
#include <vector>

#include "common/result.h"
#include "conf/config.h"
#include "heartbeatd/io/inherited_sockets.h"
#include "heartbeatd/io/medium.h"

namespace vigil::io {

// Opens the media in ha.cf order. Serial and ping lines are skipped
// (serial is not carried by vigil: a warning; ping media are not UDP).
// Inherited sockets that serve a medium are consumed (their fd is left
// invalid); inherited datagram sockets no medium wants are logged and
// closed; other inherited sockets are left for their owner.
// Any medium that cannot start is an error naming its ha.cf line; nothing
// is left open then.
Result<std::vector<std::unique_ptr<Medium>>> open_media(const conf::HaCf& cf,
                                                        std::vector<InheritedSocket>& inherited);

}  // namespace vigil::io
