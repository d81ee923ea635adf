// The control fields heartbeat adds to every message it sends
// (heartbeat-compat.md §5.4): after the caller's fields, in this order,
//
//   destuuid  binary 16 bytes, only if the message has `dest` and that
//             node's UUID is known
//   src       our node name, lowercase
//   srcuuid   binary 16 bytes (absent in heartbeat 1.x)
//   seq       lowercase hex — not for NS_ types
//   hg        generation, lowercase hex
//   ts        time(), lowercase hex
//   ld        /proc/loadavg without its newline — not for NS_ types
//   ttl       decimal: hopfudge + number of configured nodes
//
// and `auth` last, which the encoders add (codec.h). A field the message
// already has is replaced in place, keeping its position, as heartbeat does.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "heartbeatd/wire/message.h"

namespace vigil::wire {

using NodeUuid = std::array<std::uint8_t, 16>;

struct ControlFields {
  std::string src;
  std::optional<NodeUuid> uuid;        // srcuuid; omit to look like 1.x
  std::optional<std::uint64_t> seq;    // ignored for NS_ types
  std::uint64_t generation = 0;
  std::int64_t ts = 0;                 // Unix seconds; negative sends 0
  std::optional<std::string> load_average;  // ignored for NS_ types
  int ttl = 0;
  std::optional<NodeUuid> dest_uuid;   // used only if the message has `dest`
};

// NS_ messages carry no sequence number and are not retransmitted (§5.6).
bool is_unsequenced_type(std::string_view type);

void add_control_fields(Message& message, const ControlFields& control);

}  // namespace vigil::wire
