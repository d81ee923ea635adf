// The IP entries of haresources (heartbeat-compat.md §3.1) by their place
// in the configuration — all ipd ever acts on — in the two orders ipd
// needs: file order (ListVips answers in it) and release order (lease
// expiry removes in it: groups in reverse file order, each group right to
// left, the order heartbeat's ResourceManager stops a group in, §3.5).
#pragma once

#include <vector>

#include "common/proto/helper_common.h"
#include "conf/config.h"

namespace vigil::ipd {

// Every IP entry, groups in file order, each group left to right.
std::vector<proto::ResourcePlace> ip_entries(const conf::Config& config);

// Every IP entry, groups in reverse file order, each group right to left.
std::vector<proto::ResourcePlace> release_order(const conf::Config& config);

}  // namespace vigil::ipd
