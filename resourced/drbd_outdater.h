// Outdates this node's copy of a DRBD resource because the peer's DRBD
// fence-peer handler asked (issue 14, heartbeatd/engine/peer_outdate.h):
// Task kOutdatePeer names a haresources resource by index; it must be a
// drbddisk::NAME entry (conf/drbd_resources.h), and this runs
// `drbdadm outdate NAME`, nothing else. heartbeatd never names a command,
// a path or the resource text: resourced reads NAME from its own
// haresources.
//
// drbdadm's exit code goes back in the Reply (0 outdated, 5 inconsistent,
// 17 primary: heartbeatd reads them); a second ask while one runs waits
// for the same run, since outdating twice at once helps nobody.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/event_loop.h"
#include "conf/config.h"
#include "resourced/agent_executor.h"

namespace vigil::resourced {

// Where drbd-utils installs it (Debian; /sbin is /usr/sbin on merged-/usr
// systems and on RPM distributions).
inline constexpr const char* kDrbdadmCommand = "/sbin/drbdadm";
// drbdadm outdate is one ioctl-like call to the kernel module; a DRBD
// handler that waits longer than this has already given up.
inline constexpr Duration kOutdateTimeout = std::chrono::seconds(20);

class DrbdOutdater {
 public:
  using Done = std::function<void(const ExecResult& result)>;

  DrbdOutdater(EventLoop& loop, const conf::Config& config, std::vector<std::string> environment,
               std::string drbdadm = kDrbdadmCommand, Duration timeout = kOutdateTimeout);

  // Why resource #index may not be outdated ("" if it may): not a
  // drbddisk::NAME entry of haresources.
  std::string violation(std::uint16_t index) const;

  // Call only when violation(index) is "".
  void outdate(std::uint16_t index, Done done);

 private:
  void finish(std::uint16_t index, const ExecResult& result);

  const conf::Config& config_;
  std::vector<std::string> environment_;
  std::string drbdadm_;
  Duration timeout_;
  AgentExecutor executor_;
  std::map<std::uint16_t, std::vector<Done>> running_;  // resource index -> who waits
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace vigil::resourced
