// The ping nodes' I/O edge (heartbeat-compat.md §8.1): ICMP echo requests
// carrying the engine's signed probe, and the echo replies that bring it
// back. Decisions (up, dead after deadping) stay in the core; this only
// moves bytes.
//
// Unprivileged: the sockets are ICMP *datagram* sockets (socket(AF_INET,
// SOCK_DGRAM, IPPROTO_ICMP), and ICMPv6 for ping6), which the kernel lets
// any process whose group is inside net.ipv4.ping_group_range open. The
// kernel chooses the echo identifier, fills in the checksum and hands each
// socket only the replies carrying its own identifier, so a reply to
// somebody else's ping never reaches us. heartbeatd opens them after it
// dropped to its user, so the check is the one the packaged daemon meets
// (engine/ping-nodes.md says why this and not a request to ipd).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"
#include "conf/ping_nodes.h"
#include "heartbeatd/io/socket_address.h"

namespace vigil::io {

// One echo reply's payload, with the ping node it answers: the node whose
// probe carried that echo sequence number, provided the reply came from
// one of that node's addresses.
struct PingReply {
  std::string node;
  std::vector<std::byte> payload;
  std::string from;  // the replying address, for the log
};

class IcmpProber {
 public:
  // Resolves every target (literals or host names) and opens the sockets
  // the ping nodes need (none when there is none). An error names the
  // address, or the sysctl and group to fix.
  static Result<IcmpProber> open(const std::vector<conf::PingNode>& nodes);

  // One echo request per address of `node`, carrying `payload`. A send
  // that fails (no route, link down) loses this probe only, as a lost
  // reply would; the core times the node out.
  void probe(std::string_view node, std::span<const std::byte> payload);

  // The sockets to watch (one or two; empty without ping nodes).
  std::vector<int> fds() const;
  // The next echo reply waiting on `fd` that matches a probe of ours;
  // nullopt when none is left. Replies matching nothing are skipped.
  std::optional<PingReply> receive(int fd);

 private:
  struct Target {
    std::string node;
    SocketAddress address;
  };
  // Which node each recent echo sequence number was sent for.
  static constexpr std::size_t kSeqSlots = 1024;

  const Target* target_for(std::string_view node, const SocketAddress& from) const;

  std::vector<Target> targets_;
  UniqueFd v4_;
  UniqueFd v6_;
  std::uint16_t next_seq_ = 0;
  std::vector<std::string> seq_node_ = std::vector<std::string>(kSeqSlots);
  std::vector<std::byte> buffer_ = std::vector<std::byte>(65536);
};

}  // namespace vigil::io
