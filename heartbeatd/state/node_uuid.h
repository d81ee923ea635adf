// This node's UUID, sent as `srcuuid` in every message (heartbeat-compat.md
// §5.4) and by which peers look the node up first (§5.7). It must never
// change once peers have seen it: STATE_DIR/uuid holds its 16 raw bytes
// (the layout of heartbeat's hb_uuid, so a migrating node can copy that
// file and keep its identity), mode 0600.
#pragma once

#include <array>
#include <cstdint>

#include "common/result.h"
#include "heartbeatd/state/state_env.h"

namespace vigil::state {

inline constexpr std::string_view kUuidFile = "uuid";

using NodeUuid = std::array<std::uint8_t, 16>;

// Reads STATE_DIR/uuid, or creates it (durably) with a new random UUID
// (version 4, RFC 4122) if it does not exist. A file of the wrong size is
// an error, never silently replaced: a new UUID makes peers see a
// different node. Call while holding the SequenceStore, which locks the
// state directory against a second heartbeatd.
Result<NodeUuid> load_or_create_node_uuid(StateEnv& env);

}  // namespace vigil::state
