// The resource classes of heartbeat v1 (heartbeat-compat.md §3.7): from a
// node's point of view *local* groups name it in haresources' node column,
// *foreign* groups name another node, *all* is both. Held classes are two
// bits, as heartbeat's i_hold_resources / other_holds_resources.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace vigil::ownership {

using ClassBits = std::uint8_t;
inline constexpr ClassBits kNone = 0;
inline constexpr ClassBits kLocal = 1;
inline constexpr ClassBits kForeign = 2;
inline constexpr ClassBits kAll = kLocal | kForeign;

// "none" / "local" / "foreign" / "all", the words of `rsc_hold`.
std::string_view class_name(ClassBits bits);

// Parses `rsc_hold` (and standby classes). "failback" means "foreign" as in
// hb_standby (§7.3). Anything else: nullopt.
std::optional<ClassBits> parse_class(std::string_view word);

// The same groups seen from the other node of a two-node cluster: its
// local is our foreign and the reverse; all and none stay (§6.6).
ClassBits mirror(ClassBits bits);

}  // namespace vigil::ownership
