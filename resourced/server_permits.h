// The permit state machine of one heartbeatd connection to resourced
// (architecture.md, trust boundary 2; field-notes §D1/§D2/§D6): a closed
// vocabulary, exact checks, and a violation is fatal for the connection.
// Pure: it is fed decoded messages and answers with a verdict; the server
// (server.h) carries the verdict out.
//
//   state            permitted                 anything else
//   awaiting Hello   Hello (hash == ours,      close
//                    lease in bounds)
//   greeted          Lease (in bounds),        close (a second Hello, a
//                    Request (hash == ours,    Reply, a place out of the
//                    place in the config,      configuration, an IP entry,
//                    not an IP entry),         a Task naming nothing vigil
//                    Task (hash == ours,       runs)
//                    index vigil runs)
//
// IP entries belong to ipd (helper_common.h): a Request naming one is a
// violation, not a refusal, since heartbeatd never sends one by mistake.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "common/proto/resourced_messages.h"
#include "conf/config.h"

namespace vigil::resourced {

struct Permit {
  enum class Kind {
    kGreet,  // Hello accepted: the connection holds the lease (lease_ms)
    kLease,  // the lease changes to lease_ms
    kRun,    // run `request`
    kTask,   // carry out `task`
    kClose,  // protocol violation: close the connection, log `why`
  };
  Kind kind = Kind::kClose;
  std::uint32_t lease_ms = 0;
  proto::resourced::Request request;
  proto::resourced::Task task;
  std::string why;
};

class ServerPermits {
 public:
  // Why a Task's index names nothing resourced runs ("" if it does).
  using TaskCheck = std::function<std::string(const proto::resourced::Task&)>;

  // `config` must outlive this object (the server's own loaded copy).
  explicit ServerPermits(const conf::Config& config, TaskCheck task_check = {})
      : config_(config), task_check_(std::move(task_check)) {}

  Permit on_message(const proto::resourced::Message& message);

  bool greeted() const { return greeted_; }

 private:
  Permit on_request(const proto::resourced::Request& request);
  Permit on_task(const proto::resourced::Task& task);

  const conf::Config& config_;
  TaskCheck task_check_;
  bool greeted_ = false;
};

// Why a kMonitor Task may not run ("" if it may): its index names no
// resource of haresources, or an IP entry.
std::string monitor_violation(const conf::Config& config, const proto::resourced::Task& task);

// Why `place` may not be run by resourced ("" if it may): out of the
// configuration, or an IP entry.
std::string place_violation(const conf::Config& config, const proto::ResourcePlace& place);

}  // namespace vigil::resourced
