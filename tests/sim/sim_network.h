// The simulated network of the cluster simulator: datagrams in flight on
// virtual time, with the faults a real LAN shows — loss, delay, jitter
// (and so reordering), duplication — and per-link, per-direction cuts for
// one-way and two-way partitions. Deterministic: every random choice comes
// from the Rng it is given.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "common/clock.h"
#include "heartbeatd/core/rng.h"
#include "heartbeatd/wire/message.h"

namespace vigil::sim {

struct FaultModel {
  double loss = 0.0;         // per datagram and receiver
  double duplicate = 0.0;    // chance of a second copy
  Duration delay_min{200};   // µs
  Duration delay_max{2000};  // µs; jitter above the gap reorders
  double spike = 0.0;        // chance of a long extra delay
  Duration spike_max = std::chrono::milliseconds(40);
};

// The bytes of one datagram, shared by all its copies (every receiver, every
// link). The receiver's decode + verify result is computed once and kept
// here: it depends only on the bytes.
struct Payload {
  explicit Payload(std::string b) : bytes(std::move(b)) {}
  std::string bytes;
  bool checked = false;
  bool decoded = false;
  std::optional<wire::Message> verified;
  std::string error;
};

struct Datagram {
  int from = 0;
  int to = 0;
  int link = 0;
  std::shared_ptr<Payload> payload;
  bool adversarial = false;
  bool forged = false;
  std::string original;  // forged: the genuine bytes it was made from
  int incarnation = 0;   // adversarial: the receiver's run it was aimed at
};

class Network {
 public:
  Network(int nodes, int links, core::Rng& rng);

  void set_faults(const FaultModel& f) { faults_ = f; }
  const FaultModel& faults() const { return faults_; }

  // Cuts or restores the direction from → to on one link.
  void set_cut(int from, int to, int link, bool cut);
  void heal_all();
  bool is_cut(int from, int to, int link) const;

  // Sends `bytes` from `from` on every link to every node (broadcast, our
  // own copy included, as a bcast socket delivers it), applying faults.
  void broadcast(int from, const std::string& bytes, MonoTime now);
  // Puts an adversary's datagram on the wire, no faults.
  void inject(Datagram d, MonoTime at);

  bool empty() const { return queue_.empty(); }
  MonoTime next_time() const { return queue_.top().at; }
  Datagram pop();

  std::uint64_t sent() const { return sent_; }

 private:
  struct InFlight {
    MonoTime at;
    std::uint64_t order;
    Datagram datagram;
    bool operator>(const InFlight& o) const { return at != o.at ? at > o.at : order > o.order; }
  };
  void schedule(Datagram d, MonoTime at);

  int nodes_;
  int links_;
  core::Rng& rng_;
  FaultModel faults_;
  std::vector<char> cut_;  // [from][to][link]
  std::priority_queue<InFlight, std::vector<InFlight>, std::greater<>> queue_;
  std::uint64_t order_ = 0;
  std::uint64_t sent_ = 0;
};

}  // namespace vigil::sim
