// The heartbeatd <-> resourced vocabulary: the only messages that cross
// this privilege boundary. One struct per message; encode/decode are paired
// and decode checks exact lengths and every enum and range, so a malformed
// frame is an error value (and resourced closes that connection).
//
//   heartbeatd -> resourced   Hello, Lease, Request, Task
//   resourced -> heartbeatd   Reply (one per Request or Task, same request_id)
//
// A Request runs ONE action of ONE configured resource (never an IP entry:
// those belong to ipd). Walking a group is heartbeatd's job. start of a
// running resource and stop of a stopped one succeed (heartbeat-compat.md
// §3.4/§3.5), so a request cut off by a restart can simply be sent again.
//
// Naming rules and the lease: helper_common.h.
//
// Task: everything else the privileged side runs, as ONE closed vocabulary
// (the project's rule for widening what root runs). A Task names a thing of
// the configuration by its kind and its index in the configuration both
// sides loaded (the hash proves which), plus an Op. It never carries a
// command, a path, a user, an address or a number the receiver would pass
// on: resourced looks the entry up in its own configuration and refuses an
// index that names nothing it runs. Kinds, present and planned:
//
//   kind           index names                          ops
//   kRespawn   1   ha.cf respawn/failfast line #i,      start (idempotent),
//                  file order from 0 (ipfail and dopd   stop, status
//                  lines are refused: vigil runs none)
//   kEvent     2   a cluster event (cluster_event.h:    start = run rc.d/<E>
//                  a closed enum, never a script name)  and queue E for the
//                  plus the message's fields as data    notify hook (vigil.cf)
//                  (bounded, printable; cluster_event.h
//                  says why that is safe)
//   kMonitor   3   haresources resource #i: the groups  status = one health
//                  flattened in file order, positions   check (OCF monitor,
//                  counted from 0 (resource_index.h);   LSB/heartbeat status,
//                  IP entries are refused (ipd's)       systemd unit state)
//                                                       with vigil.cf's
//                                                       health_timeout; the
//                                                       Reply says how it
//                                                       ran (CheckRun)
//   kFence     4   ha.cf node #i (the node to reset;    start = reset it with
//                  never the local node; the devices    the first device that
//                  and their parameters come from       succeeds (kOk), or
//                  resourced's own stonith lines,       kFailed
//                  conf/fence_devices.h)
//   kOutdatePeer 5 haresources resource #i (flattened   start = `drbdadm
//                  as for kMonitor), which must be a    outdate <name>` on
//                  drbddisk::<name> entry: DRBD's       THIS node; the Reply
//                  fence-peer handler on the peer asked carries drbdadm's
//                  (resourced/drbd_outdater.h)          exit code (0 outdated,
//                                                       5 inconsistent, 17
//                                                       primary)
//   kWatchdog  6   0 (the ha.cf watchdog line;          start = open and arm,
//                  resourced/watchdog_device.h)         status = keep-alive
//                                                       (one write), stop =
//                                                       magic close
//   A reserved number is never reused; an unknown kind is a malformed
//   frame, not a refusal.
//
// Why heartbeatd asks rather than resourced starting things on its own:
// resourced acts only on what heartbeatd decided (and releases everything
// when heartbeatd's lease runs out); the same request/reply shape then
// serves the planned kinds, which are decisions of the membership core.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "common/ipc/frame.h"
#include "common/proto/cluster_event.h"
#include "common/proto/helper_common.h"
#include "common/result.h"

namespace vigil::proto::resourced {

enum class Type : std::uint16_t {
  kHello = 1,
  kLease = 2,
  kRequest = 3,
  kReply = 4,
  kTask = 5,
};

enum class Op : std::uint8_t { kStart = 1, kStop = 2, kStatus = 3 };

struct Request {
  std::uint32_t request_id = 0;
  std::string config_hash;
  ResourcePlace place;
  Op op = Op::kStatus;
  bool operator==(const Request&) const = default;
};

// What a Task names (see the table above). Values are wire numbers.
enum class TaskKind : std::uint8_t {
  kRespawn = 1,
  kEvent = 2,
  kMonitor = 3,
  kFence = 4,
  kOutdatePeer = 5,
  kWatchdog = 6,
};

struct Task {
  std::uint32_t request_id = 0;
  std::string config_hash;
  TaskKind kind = TaskKind::kRespawn;
  std::uint16_t index = 0;
  Op op = Op::kStatus;
  // kEvent only (encoded after `op`, and only for that kind, so a respawn
  // Task is the same bytes as before): the event's message fields.
  std::vector<EventField> fields;
  bool operator==(const Task&) const = default;
};

// An index a Task may name at most (the largest of the kinds' own limits).
inline constexpr std::uint16_t kMaxTaskIndex = 1024;

enum class Outcome : std::uint8_t {
  kOk = 0,       // the action succeeded (status: it ran; see `state`)
  kFailed = 1,   // the agent exited non-zero (start/stop) or could not run
  kTimeout = 2,  // killed with its process group after the action's timeout
  kRefused = 3,  // not permitted: wrong hash, unknown place, IP entry, ...
};

// What the agent says about the resource (status, and after start/stop).
enum class RunState : std::uint8_t { kUnknown = 0, kRunning = 1, kStopped = 2 };

// How a health check (the answer to a kMonitor Task) ran and what came of
// it, said by resourced, which knows, so heartbeatd's log never guesses it
// from exit_status (a check of a systemd unit asks systemd over D-Bus:
// no program, no exit code, no process group). kNone in every other Reply.
enum class CheckRun : std::uint8_t {
  kNone = 0,
  kProgramExited = 1,       // a check program exited: exit_status is its code
  kProgramSignalled = 2,    // a signal ended it: exit_status is -signal
  kProgramTimedOut = 3,     // past health_timeout: its process group was killed
  kNotRun = 4,              // nothing could run (no agent, fork failed): see output_tail
  kUnitState = 5,           // systemd answered over D-Bus: unit_state is what it said
  kSystemdNoAnswer = 6,     // systemd did not answer over D-Bus within health_timeout
  kSystemdUnreachable = 7,  // the D-Bus call failed (bus lost, error reply): see output_tail
};

// unit_state's bound: "ActiveState/SubState" as systemd names them.
inline constexpr std::size_t kMaxUnitState = 64;

struct Reply {
  std::uint32_t request_id = 0;
  Op op = Op::kStatus;
  Outcome outcome = Outcome::kOk;
  RunState state = RunState::kUnknown;
  std::int32_t exit_status = 0;   // the agent's exit code, or -signal
  std::uint32_t duration_ms = 0;  // how long the action ran
  std::string output_tail;        // the last bytes of its output (<= kMaxText)
  // The answer to a kMonitor Task only. Encoded after output_tail, and only
  // when `check` is not kNone, so every other Reply keeps its IPC v1 bytes
  // (tests/proto/ipc_v1.golden); decode takes exactly one of the two forms.
  CheckRun check = CheckRun::kNone;
  std::string unit_state = {};  // kUnitState only (and then not empty), printable
  bool operator==(const Reply&) const = default;
};

using Message = std::variant<Hello, Lease, Request, Reply, Task>;

vigil::Result<ipc::Bytes> encode(const Message& message);
vigil::Result<Message> decode(const ipc::Frame& frame);

}  // namespace vigil::proto::resourced
