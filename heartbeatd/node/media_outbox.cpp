#include "heartbeatd/node/media_outbox.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <ctime>

#include "common/log.h"
#include "common/unique_fd.h"

namespace vigil::node {

void MediaOutbox::send_all(std::span<const std::byte> datagram) { media_.send_all(datagram); }

void MediaOutbox::send_probe(std::string_view node, std::span<const std::byte> payload) {
  if (prober_ != nullptr) prober_->probe(node, payload);
}

bool MediaOutbox::record_sent(std::uint64_t seq) {
  Status s = store_.record_sent(seq);
  if (!s) {
    // Logged once per failing stretch: every keepalive would repeat it.
    if (!record_failing_)
      log::error(fmt::format("not sending seq {}: cannot record it: {}", seq, s.error().message),
                 {{"VIGIL_EVENT", "seq-record-failed"}});
    record_failing_ = true;
    return false;
  }
  record_failing_ = false;
  return true;
}

std::int64_t MediaOutbox::unix_time() { return static_cast<std::int64_t>(std::time(nullptr)); }

std::optional<std::string> MediaOutbox::load_average() {
  // The kernel recomputes the load average every 5 s (LOAD_FREQ), so a
  // reading up to a second old says the same: at a 10 ms keepalive this
  // saves an open/read/close per heartbeat. The clock is the vDSO's, no
  // syscall.
  const MonoTime now = MonoClock::now();
  if (load_read_ && now - load_read_at_ < kLoadAverageMaxAge) return load_average_;
  load_average_ = read_load_average();
  load_read_at_ = now;
  load_read_ = true;
  return load_average_;
}

std::optional<std::string> MediaOutbox::read_load_average() {
  // Opened per reading: after the privilege drop /proc stays readable, and
  // a kept descriptor would need lseek anyway.
  UniqueFd fd(::open("/proc/loadavg", O_RDONLY | O_CLOEXEC));
  if (!fd) return std::nullopt;
  char buf[128];
  const ssize_t n = ::read(fd.get(), buf, sizeof buf - 1);
  if (n <= 0) return std::nullopt;
  std::string text(buf, static_cast<std::size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.empty()) return std::nullopt;
  return text;
}

}  // namespace vigil::node
