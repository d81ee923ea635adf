// The heartbeatd <-> resourced vocabulary: the only messages that cross
// this privilege boundary. One struct per message; encode/decode are paired
// and decode checks exact lengths and every enum and range, so a malformed
// frame is an error value (and resourced closes that connection).
//
//   heartbeatd -> resourced   Hello, Lease, Request
//   resourced -> heartbeatd   Reply (one per Request, same request_id)
//
// A Request runs ONE action of ONE configured resource (never an IP entry:
// those belong to ipd). Walking a group is heartbeatd's job. start of a
// running resource and stop of a stopped one succeed (heartbeat-compat.md
// §3.4/§3.5), so a request cut off by a restart can simply be sent again.
//
// Naming rules and the lease: helper_common.h.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "common/ipc/frame.h"
#include "common/proto/helper_common.h"
#include "common/result.h"

namespace vigil::proto::resourced {

enum class Type : std::uint16_t {
  kHello = 1,
  kLease = 2,
  kRequest = 3,
  kReply = 4,
};

enum class Op : std::uint8_t { kStart = 1, kStop = 2, kStatus = 3 };

struct Request {
  std::uint32_t request_id = 0;
  std::string config_hash;
  ResourcePlace place;
  Op op = Op::kStatus;
  bool operator==(const Request&) const = default;
};

enum class Outcome : std::uint8_t {
  kOk = 0,       // the action succeeded (status: it ran; see `state`)
  kFailed = 1,   // the agent exited non-zero (start/stop) or could not run
  kTimeout = 2,  // killed with its process group after the action's timeout
  kRefused = 3,  // not permitted: wrong hash, unknown place, IP entry, ...
};

// What the agent says about the resource (status, and after start/stop).
enum class RunState : std::uint8_t { kUnknown = 0, kRunning = 1, kStopped = 2 };

struct Reply {
  std::uint32_t request_id = 0;
  Op op = Op::kStatus;
  Outcome outcome = Outcome::kOk;
  RunState state = RunState::kUnknown;
  std::int32_t exit_status = 0;    // the agent's exit code, or -signal
  std::uint32_t duration_ms = 0;   // how long the action ran
  std::string output_tail;         // the last bytes of its output (<= kMaxText)
  bool operator==(const Reply&) const = default;
};

using Message = std::variant<Hello, Lease, Request, Reply>;

vigil::Result<ipc::Bytes> encode(const Message& message);
vigil::Result<Message> decode(const ipc::Frame& frame);

}  // namespace vigil::proto::resourced
