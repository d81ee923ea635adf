// Resets a dead node before its groups are taken over (heartbeat-compat.md
// §6.4, field-notes A10): Task kFence names a node of ha.cf by index, and
// this runs cluster-glue's `stonith -t TYPE {-F FILE|-p PARAMS} -T reset
// NODE` with this node's devices (conf/fence_devices.h), one device after
// the other until one reports the reset (exit 0). heartbeatd never names a
// device, a parameter or a command: resourced reads them from its own ha.cf.
//
// A node named by vigil.cf fence_agent lines (issue 14) is fenced with
// those instead, one after the other: AGENT_DIR/fence_* with its options
// on stdin (fence_agent_command.h); exit 0 is fenced, anything else (or
// the timeout) failed, and the next line is tried. ha.cf's devices are
// not used for such a node (conf/fence_devices.h says why).
//
// One fence at a time per node: a second ask while one runs waits for the
// same outcome (heartbeatd retries every 5 s; a device that takes longer
// must not be hit twice at once).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/event_loop.h"
#include "common/result.h"
#include "conf/config.h"
#include "conf/fence_devices.h"
#include "resourced/agent_executor.h"
#include "resourced/fence_agent_command.h"

namespace vigil::resourced {

inline constexpr const char* kStonithCommand = "/usr/sbin/stonith";
// A power switch or a BMC answers within seconds; external/ipmi's own
// retries stay under a minute; so do fence-agents' defaults (power_timeout
// 20 s, power_wait, login_timeout 5 s: a reboot is an off and an on).
inline constexpr Duration kFenceTimeout = std::chrono::seconds(60);

class NodeFencer {
 public:
  // ok, or what failed (every device tried, one line).
  using Done = std::function<void(const Status& result)>;

  NodeFencer(EventLoop& loop, const conf::Config& config, std::vector<std::string> environment,
             std::string stonith = kStonithCommand, std::string agent_dir = kFenceAgentDir,
             Duration timeout = kFenceTimeout);

  // Why node #index may not be fenced from here ("" if it may): not a node
  // of ha.cf, this node itself, or no device or fence agent for it.
  std::string violation(std::uint16_t index) const;

  // Call only when violation(index) is "".
  void fence(std::uint16_t index, Done done);

 private:
  // One way to fence a node: a command and the name its failure is told by.
  struct Attempt {
    std::string name;  // external/ipmi, fence_ipmilan
    Command cmd;
  };
  std::vector<Attempt> attempts_for(const std::string& node) const;
  void try_next(std::uint16_t index, std::vector<Attempt> attempts, std::size_t next,
                std::string failures);
  void finish(std::uint16_t index, const Status& result);

  const conf::Config& config_;
  std::vector<conf::FenceDevice> devices_;
  std::vector<std::string> environment_;
  std::string stonith_;
  std::string agent_dir_;
  Duration timeout_;
  AgentExecutor executor_;
  std::map<std::uint16_t, std::vector<Done>> running_;  // node index -> who waits
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace vigil::resourced
