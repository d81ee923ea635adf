// The production Outbox (cluster_node.h): datagrams go to every medium of
// an io::MediaSet, sequence numbers are recorded in the state directory
// before they leave, `ts` is the wall clock and `ld` is /proc/loadavg, read
// at most once a second.
#pragma once

#include "common/clock.h"
#include "heartbeatd/io/icmp_prober.h"
#include "heartbeatd/io/media_set.h"
#include "heartbeatd/node/cluster_node.h"
#include "heartbeatd/state/sequence_store.h"

namespace vigil::node {

class MediaOutbox final : public Outbox {
 public:
  MediaOutbox(io::MediaSet& media, state::SequenceStore& store) : media_(media), store_(store) {}

  void send_all(std::span<const std::byte> datagram) override;
  void send_probe(std::string_view node, std::span<const std::byte> payload) override;
  // The ping nodes' sockets, opened after the privilege drop (main).
  void set_prober(io::IcmpProber* prober) { prober_ = prober; }
  bool record_sent(std::uint64_t seq) override;
  std::int64_t unix_time() override;
  std::optional<std::string> load_average() override;

 private:
  static constexpr Duration kLoadAverageMaxAge = std::chrono::seconds(1);

  static std::optional<std::string> read_load_average();

  io::MediaSet& media_;
  io::IcmpProber* prober_ = nullptr;
  state::SequenceStore& store_;
  bool record_failing_ = false;
  bool load_read_ = false;
  MonoTime load_read_at_{};
  std::optional<std::string> load_average_;
};

}  // namespace vigil::node
