// heartbeatd's start with vigil.cf `membership corosync` when corosync is
// not up yet: at boot before corosync.service is ready, during a restart of
// corosync.service, or while Debian upgrades corosync. heartbeatd waits for
// it (up to `limit`, trying again every second, keeping systemd's watchdog
// fed and its status line saying why) instead of exiting at once: an exit
// every half second would spend systemd's start limit (StartLimitBurst=10
// in 120 s) within seconds and leave the node without heartbeatd for good.
// After `limit` it gives up with corosync's last error; systemd starts it
// again, so a corosync that stays down is reported once a minute.
#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "heartbeatd/io/corosync_link.h"

namespace vigil::io {

Result<std::unique_ptr<CorosyncLink>> open_corosync_waiting(const std::string& group,
                                                            Duration limit);

}  // namespace vigil::io
