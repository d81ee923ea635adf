// What both root-helper vocabularies (ipd_messages.h, resourced_messages.h)
// share: how a request names a resource, and the lease.
//
// A request never carries a path, a command, an argument or an address
// (architecture.md, trust boundary 2). It names a resource by its place in
// the configuration — (group index in haresources file order, position in
// the group, both from 0) — plus the SHA-256 of the configuration the sender
// loaded (conf::Config::hash, 64 lowercase hex digits). The helper loaded
// the configuration itself; it refuses a request whose hash differs from
// its own or whose place is not in its configuration, or whose place names
// the wrong kind of resource (an IP entry to resourced, a script to ipd).
//
// The lease: a helper keeps what it holds only while heartbeatd is
// connected, or comes back within the lease. Hello sets it (and proves the
// hashes match); Lease renews or changes it. When the connection drops the
// helper starts the clock; if no Hello with the same hash arrives before it
// runs out, the helper releases everything it is configured for (ipd
// removes the VIPs, resourced stops the resources, groups in reverse file
// order, each group right to left) and logs why.
#pragma once

#include <cstdint>
#include <string>

#include "common/ipc/payload.h"
#include "common/result.h"

namespace vigil::proto {

inline constexpr std::size_t kConfigHashLength = 64;  // hex SHA-256
inline constexpr std::uint16_t kMaxGroups = 1024;
inline constexpr std::uint16_t kMaxPosition = 256;
// Bounds of the lease a sender may ask for: long enough to survive a
// restart, short enough that a dead heartbeatd never leaves the address
// held while a peer takes it over.
inline constexpr std::uint32_t kMinLeaseMs = 100;
inline constexpr std::uint32_t kMaxLeaseMs = 10 * 60 * 1000;
inline constexpr std::size_t kMaxText = 4096;

struct ResourcePlace {
  std::uint16_t group = 0;     // haresources line, file order, from 0
  std::uint16_t position = 0;  // resource within the group, from 0

  bool operator==(const ResourcePlace&) const = default;
};

// Hello and Lease are the same shape in both vocabularies.
struct Hello {
  std::string config_hash;
  std::uint32_t lease_ms = 0;
  bool operator==(const Hello&) const = default;
};
struct Lease {
  std::uint32_t lease_ms = 0;
  bool operator==(const Lease&) const = default;
};

// Field codecs shared by both vocabularies; each checks its range.
void write_hash(ipc::PayloadWriter& w, const std::string& hash);
std::string read_hash(ipc::PayloadReader& r);
void write_place(ipc::PayloadWriter& w, const ResourcePlace& place);
ResourcePlace read_place(ipc::PayloadReader& r);
// A well-formed hash is 64 lowercase hex digits.
bool is_config_hash(const std::string& s);
Status check_lease(std::uint32_t lease_ms);
Status check_place(const ResourcePlace& place);
// Hello's fields, written, read and checked alike by both vocabularies.
void write_hello(ipc::PayloadWriter& w, const Hello& hello);
Hello read_hello(ipc::PayloadReader& r);
Status check_hello(const Hello& hello);

}  // namespace vigil::proto
