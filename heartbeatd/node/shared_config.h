// The part of the configuration both nodes must agree on, and telling a
// peer ours (issue 10, item 8). heartbeat users kept ha.cf and haresources
// identical by hand (or ha_propagate), and a difference showed only at
// failover. vigil puts a short digest of what must match into every status
// message it sends, as one extra field real heartbeat ignores (it reads
// the fields it knows and signs them all, §5.2/§5.5), and warns once when
// a peer's differs, and once when it matches again.
//
// What must match: haresources (the groups, their home nodes and
// resources, normalised) and the timers and policies both sides apply to
// each other: keepalive, deadtime, initdead, auto_failback, the node list.
// Per-node lines (media, ucast peers, logging, respawn) may differ and are
// left out.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "conf/config.h"

namespace vigil::node {

// The status-message field that carries the digest.
inline constexpr std::string_view kSharedConfigField = "vigil_cfg";
inline constexpr std::size_t kSharedConfigDigestLength = 16;  // hex digits

// The normalised text the digest covers (for tests and `--debug`).
std::string shared_config_text(const conf::Config& config);
// First kSharedConfigDigestLength hex digits of its SHA-256.
std::string shared_config_digest(const conf::Config& config);

class PeerConfigCheck {
 public:
  explicit PeerConfigCheck(std::string ours) : ours_(std::move(ours)) {}

  // A peer's status message carried `digest` (nullptr: no field, e.g. a
  // heartbeat node). Returns the warning or notice to log when the
  // verdict about that peer changed, else nullopt.
  struct Change {
    bool differs = false;
    std::string text;
  };
  std::optional<Change> observe(const std::string& peer, const std::string* digest);

  const std::string& ours() const { return ours_; }
  // The last digest a peer sent, if it sent one.
  const std::string* theirs(const std::string& peer) const;

 private:
  std::string ours_;
  std::map<std::string, std::string, std::less<>> theirs_;
};

}  // namespace vigil::node
