// All media of the node. Every message is sent on every medium; a copy
// lost on one link is harmless because the others carry it
// (heartbeat-compat.md §5.1).
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "heartbeatd/io/medium.h"

namespace vigil::io {

class MediaSet {
 public:
  explicit MediaSet(std::vector<std::unique_ptr<Medium>> media);

  // Sends `message` on every medium. A medium that fails is logged once
  // until it sends again (a downed link would otherwise log at every
  // keepalive). Returns how many media sent it.
  std::size_t send_all(std::span<const std::byte> message);

  std::span<const std::unique_ptr<Medium>> media() const { return media_; }
  std::size_t size() const { return media_.size(); }

 private:
  std::vector<std::unique_ptr<Medium>> media_;
  std::vector<bool> failing_;  // per medium: its last send failed
};

}  // namespace vigil::io
