// The one typed, immutable configuration of a vigil node, built from the
// three classic heartbeat files: ha.cf, haresources and authkeys
// (heartbeat-compat.md §2–§4). Every process (heartbeatd, resourced, ipd,
// vigilctl) loads it itself with conf::load_config (conf/load.h); nothing
// here is ever taken from a message.
//
// Times are std::chrono::milliseconds, as heartbeat rounds every time value
// to the nearest millisecond (§2.2). Node names are lower-cased (§2.4 node).
//
// Field names follow ha.cf's directive names so a reader can map them back.
// Fields may be added; existing ones keep their names and meaning.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "conf/vigil_cf.h"
#include "common/secret_bytes.h"

namespace vigil::conf {

using Millis = std::chrono::milliseconds;

// ---------------------------------------------------------------- ha.cf

enum class AutoFailback { kLegacy, kOn, kOff };

enum class MediumKind {
  kBcast,      // bcast IF
  kUcast,      // ucast IF PEER
  kMcast,      // mcast IF GROUP PORT TTL LOOP
  kUcast6,     // ucast6 IF PEER6[%scope]
  kMcast6,     // mcast6 IF GROUP PORT HOPS LOOP
  kSerial,     // serial DEV (parsed for compatibility; not carried by vigil)
  kPing,       // ping HOST   (a ping node, §8.1)
  kPing6,      // ping6 HOST
  kPingGroup,  // ping_group NAME HOST...
};

// One heartbeat medium. `interface` is also the link name heartbeat logs
// (`Link node2:eth1 up.`); for ping media the link name is the address.
struct Medium {
  MediumKind kind = MediumKind::kBcast;
  std::string interface;           // IF (bcast/ucast/mcast/*6), DEV (serial)
  std::string address;             // ucast peer, mcast group, ping host
  std::uint16_t port = 0;          // udpport at the time of the line, or mcast PORT
  int ttl = 1;                     // mcast TTL / mcast6 HOPS (0–4)
  bool loop = false;               // mcast LOOP
  std::string group_name;          // ping_group NAME
  std::vector<std::string> hosts;  // ping_group HOSTs
  int baud = 0;                    // serial: `baud` in effect at the time of the line
  int line = 0;                    // ha.cf line it came from
};

struct RespawnClient {
  std::string user;
  std::string command;  // the raw rest of the line after the user
  bool failfast = false;
  int line = 0;
};

struct HaCf {
  // Timers (§2.4; defaults and derivations applied by the parser).
  Millis keepalive{1000};
  Millis deadtime{30000};
  Millis warntime{15000};
  Millis initdead{30000};
  Millis deadping{30000};

  std::uint16_t udpport = 694;
  std::vector<Medium> media;
  std::vector<std::string> nodes;  // lower-cased, config order
  AutoFailback auto_failback = AutoFailback::kLegacy;

  // Logging (§2.7).
  std::optional<std::string> logfile;
  std::optional<std::string> debugfile;
  std::optional<std::string> logfacility;  // "none" or a syslog facility name
  bool use_logd = true;
  bool syslogmsgfmt = true;
  bool log_badpack = true;
  int debug = 0;

  int hopfudge = 1;
  int baud = 19200;
  Millis conn_logd_time{60000};
  Millis max_rexmit_delay{250};
  bool realtime = true;
  std::optional<int> rtprio;
  bool coredumps = true;
  std::optional<std::string> coreroot;
  std::string hbgenmethod = "file";
  std::string uuidfrom = "file";
  std::string autojoin = "none";
  std::string msgfmt = "classic";
  std::string compression = "zlib";
  int compression_threshold = 2;
  bool traditional_compression = false;
  int memreserve = 6500;
  std::string cluster = "linux-ha";
  std::optional<std::string> watchdog;
  std::vector<RespawnClient> respawn;  // respawn and failfast lines
  std::vector<std::pair<std::string, std::string>> env;  // env NAME=value
  std::vector<std::string> apiauth;    // raw lines
  std::vector<std::string> stonith;    // raw lines
  std::vector<std::string> stonith_host;  // raw lines
  std::string crm = "false";
};

// --------------------------------------------------------- haresources

// An IP resource, in the argument grammar of heartbeat's IPaddr/IPaddr2/
// IPv6addr wrappers (§3.1): IP[/CIDRBITS[/NIC[/BROADCAST]]]. What is not
// written stays empty and is computed by ipd from the interfaces (findif).
struct IpSpec {
  std::string address;                 // literal, v4 or v6
  bool ipv6 = false;
  std::optional<int> cidr_bits;
  std::optional<std::string> nic;      // interface name, without label
  std::optional<std::string> label;    // IPaddr2 NIC:label
  std::optional<std::string> broadcast;
};

enum class ResourceKind {
  kIpAddr,    // IPaddr::... or a bare IPv4 short form
  kIpAddr2,   // IPaddr2::...
  kIPv6addr,  // IPv6addr::...
  kScript,    // anything else: resource.d, init.d, OCF or systemd (resourced decides)
};

struct Resource {
  ResourceKind kind = ResourceKind::kScript;
  std::string text;               // the token exactly as written in haresources
  std::string name;               // script name (IPaddr for a bare IPv4 form)
  std::vector<std::string> args;  // split on "::"
  std::optional<IpSpec> ip;       // for the three IP kinds

  bool is_ip() const { return ip.has_value(); }
};

// One haresources line. The first resource is the group key (§3.1).
struct ResourceGroup {
  std::string node;                 // preferred node, lower-cased
  std::vector<Resource> resources;  // start order
  int line = 0;

  const std::string& key() const { return resources.front().text; }
};

// ------------------------------------------------------------ authkeys

enum class AuthMethod { kCrc, kMd5, kSha1, kSha256 };

struct AuthKey {
  int id = 0;  // 0–15
  AuthMethod method = AuthMethod::kCrc;
  SecretBytes key;  // empty for crc
};

struct AuthKeys {
  int active_id = 0;           // `auth N`: the key that signs what we send
  std::vector<AuthKey> keys;   // all of them verify what we receive (§4.2)

  const AuthKey* find(int id) const {
    for (const auto& k : keys)
      if (k.id == id) return &k;
    return nullptr;
  }
  const AuthKey& active() const { return *find(active_id); }
};

// -------------------------------------------------------------- Config

struct Paths {
  std::string config_dir;   // /etc/ha.d by default
  std::string runtime_dir;  // /run/vigil
  std::string state_dir;    // /var/lib/vigil
};

struct Config {
  Paths paths;
  std::string local_node;  // lower-cased; from --node-name, nodeinfo or uname -n
  HaCf ha_cf;
  std::vector<ResourceGroup> groups;
  AuthKeys authkeys;
  // vigil.cf: vigil's own settings (vigil_cf.h); not part of `hash`, as
  // they are this node's own and never reach the wire or a peer.
  VigilCf vigil_cf;

  // SHA-256 (hex) of the normalised ha.cf and haresources, keys excluded.
  // heartbeatd sends it with every request to a root helper; the helper
  // refuses requests whose hash differs from the one it computed itself.
  std::string hash;
};

}  // namespace vigil::conf
