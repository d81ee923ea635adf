// The permit state machine of one heartbeatd connection to ipd
// (architecture.md, trust boundary 2; field-notes §D1/§D2/§D6): a closed
// vocabulary, exact checks, and a violation is fatal for the connection.
// Pure: it is fed decoded messages and answers with a verdict; the server
// (server.h) carries the verdict out.
//
//   state            permitted                      anything else
//   awaiting Hello   Hello (hash == ours, lease      close
//                    in bounds)
//   greeted          Lease (in bounds),             close (a second Hello,
//                    AddVip / RemoveVip /           a Result, VipList or
//                    AnnounceVip (hash == ours,     Event, a place out of
//                    place in the config, an IP     the configuration or
//                    entry), ListVips               not an IP entry)
//
// Scripts belong to resourced (helper_common.h): an AddVip naming one is a
// violation, not a refusal, since heartbeatd never sends one by mistake.
#pragma once

#include <cstdint>
#include <string>

#include "common/proto/ipd_messages.h"
#include "conf/config.h"

namespace vigil::ipd {

struct Permit {
  enum class Kind {
    kGreet,     // Hello accepted: the connection holds the lease (lease_ms)
    kLease,     // the lease changes to lease_ms
    kAdd,       // acquire the IP entry at `place`, answer `request_id`
    kRemove,    // release the IP entry at `place`, answer `request_id`
    kList,      // answer `request_id` with a VipList
    kAnnounce,  // announce the IP entry at `place` again (`announce`)
    kClose,     // protocol violation: close the connection, log `why`
  };
  Kind kind = Kind::kClose;
  std::uint32_t lease_ms = 0;
  std::uint32_t request_id = 0;
  proto::ResourcePlace place;
  proto::ipd::AnnounceKind announce = proto::ipd::AnnounceKind::kAgain;
  std::string why;
};

class ServerPermits {
 public:
  // `config` must outlive this object (the server's own loaded copy).
  explicit ServerPermits(const conf::Config& config) : config_(config) {}

  Permit on_message(const proto::ipd::Message& message);

  bool greeted() const { return greeted_; }

 private:
  Permit on_vip(std::uint32_t request_id, const std::string& hash,
                const proto::ResourcePlace& place, Permit::Kind kind, const char* what);

  const conf::Config& config_;
  bool greeted_ = false;
};

// Why ipd may not act on `place` ("" if it may): out of the configuration,
// or not an IP entry.
std::string place_violation(const conf::Config& config, const proto::ResourcePlace& place);

}  // namespace vigil::ipd
