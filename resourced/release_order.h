// The order in which resourced releases everything when the lease runs
// out (helper_common.h): groups in reverse haresources file order, each
// group right to left — the order heartbeat's ResourceManager stops them
// in (heartbeat-compat.md §3.5) — skipping IP entries, which ipd releases.
#pragma once

#include <vector>

#include "common/proto/helper_common.h"
#include "conf/config.h"

namespace vigil::resourced {

std::vector<proto::ResourcePlace> release_order(const conf::Config& config);

}  // namespace vigil::resourced
