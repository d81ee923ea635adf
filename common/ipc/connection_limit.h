// How many connections one IPC server keeps open at once. Every server that
// accepts (ipc::Server for the root helpers, heartbeatd's control socket)
// takes a Slot per connection; the Connection holds it, so the slot frees
// itself whoever destroys the connection and for whatever reason. A peer
// past the limit is closed on accept and logged once with its pid and uid:
// without a bound, a permitted but hostile peer could open connections
// until the helper runs out of descriptors and cannot serve heartbeatd.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "common/ipc/socket.h"

namespace vigil::ipc {

class ConnectionLimit {
 public:
  // One open connection's place; frees it when destroyed. Move-only.
  class Slot {
   public:
    explicit Slot(std::shared_ptr<std::size_t> used) : used_(std::move(used)) { ++*used_; }
    ~Slot() {
      if (used_) --*used_;
    }
    Slot(Slot&&) noexcept = default;
    Slot& operator=(Slot&&) noexcept = default;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    std::shared_ptr<std::size_t> used_;
  };

  explicit ConnectionLimit(std::size_t max) : max_(max) {}

  // A slot for `peer`, or nothing when all are taken; the refusal is
  // logged "refusing IPC connection on <label> from pid P uid U: ...".
  std::optional<Slot> take(const std::string& label, const PeerCredentials& peer);

  std::size_t in_use() const { return *used_; }
  std::size_t max() const { return max_; }

 private:
  std::size_t max_;
  // Shared with the slots, which may outlive this object.
  std::shared_ptr<std::size_t> used_ = std::make_shared<std::size_t>(0);
};

}  // namespace vigil::ipc
