#include "heartbeatd/node/shared_config.h"

#include <fmt/format.h>
#include <sodium.h>

#include "conf/print.h"
#include "conf/time_value.h"

namespace vigil::node {

namespace {

std::string_view failback_word(conf::AutoFailback a) {
  switch (a) {
    case conf::AutoFailback::kOn:
      return "on";
    case conf::AutoFailback::kOff:
      return "off";
    case conf::AutoFailback::kLegacy:
      return "legacy";
  }
  return "legacy";
}

bool valid_digest(const std::string& d) {
  if (d.size() != kSharedConfigDigestLength) return false;
  for (char c : d)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

std::string shared_config_text(const conf::Config& config) {
  const conf::HaCf& cf = config.ha_cf;
  std::string text = fmt::format("keepalive {}\ndeadtime {}\ninitdead {}\nauto_failback {}\nnode",
                                 conf::format_time(cf.keepalive), conf::format_time(cf.deadtime),
                                 conf::format_time(cf.initdead), failback_word(cf.auto_failback));
  for (const auto& n : cf.nodes) text += " " + n;
  text += "\n";
  return text + conf::print_haresources(config.groups);
}

std::string shared_config_digest(const conf::Config& config) {
  const std::string text = shared_config_text(config);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, kSharedConfigDigestLength);
}

const std::string* PeerConfigCheck::theirs(const std::string& peer) const {
  auto it = theirs_.find(peer);
  return it == theirs_.end() ? nullptr : &it->second;
}

std::optional<PeerConfigCheck::Change> PeerConfigCheck::observe(const std::string& peer,
                                                                const std::string* digest) {
  // No field (a heartbeat peer), or not one of ours: nothing to compare.
  if (digest == nullptr || !valid_digest(*digest)) return std::nullopt;
  const std::string* before = theirs(peer);
  const bool differed = before != nullptr && *before != ours_;
  const bool differs = *digest != ours_;
  const bool first = before == nullptr;
  if (!first && *before == *digest) return std::nullopt;
  theirs_[peer] = *digest;
  if (differs)
    return Change{true, fmt::format("Configuration differs from {}'s: haresources, keepalive, "
                                    "deadtime, initdead, auto_failback or the node list are not "
                                    "the same on both nodes (ours {}, theirs {}); a failover may "
                                    "not do what you expect: compare `vigilctl check-config` on "
                                    "both nodes",
                                    peer, ours_, *digest)};
  if (differed) return Change{false, fmt::format("Configuration now matches {}'s", peer)};
  return std::nullopt;
}

}  // namespace vigil::node
