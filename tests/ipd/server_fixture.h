// What the ipd server and client tests share: a configuration built from
// haresources tokens (the real parser), a fake VipBackend that records
// every call, a temporary runtime directory, and a loop runner with a
// deadline. No root, no kernel, no network.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "common/ipc/connection.h"
#include "common/proto/ipd_messages.h"
#include "common/timer.h"
#include "conf/config.h"
#include "conf/haresources.h"
#include "ipd/vip_backend.h"

namespace vigil::ipd::testing {

inline const std::string kHash(64, 'a');
inline const std::string kOtherHash(64, 'b');

// groups: each a list of haresources tokens ("IPaddr2::192.0.2.50/24/eth1",
// "httpd", "192.0.2.60").
inline conf::Config config_with(const std::vector<std::vector<std::string>>& groups) {
  conf::Config c;
  c.hash = kHash;
  for (const auto& tokens : groups) {
    conf::ResourceGroup g;
    g.node = "node1";
    for (const auto& t : tokens) {
      auto r = conf::parse_resource(t);
      if (!r) std::abort();
      g.resources.push_back(*r);
    }
    c.groups.push_back(g);
  }
  return c;
}

// Keyed by the entry's text as written in haresources.
class FakeVips : public VipBackend {
 public:
  std::set<std::string> present;
  std::vector<std::string> calls;   // "acquire T", "release T", "watch T", "announce T N"
  std::optional<std::string> fail;  // the next acquire/release fails with this
  std::string interface = "eth1";

  Result<AddOutcome> acquire(const conf::Resource& r) override {
    calls.push_back("acquire " + r.text);
    if (fail) return take_failure();
    return present.insert(r.text).second ? AddOutcome::kAdded : AddOutcome::kAlreadyPresent;
  }
  Result<RemoveOutcome> release(const conf::Resource& r) override {
    calls.push_back("release " + r.text);
    if (fail) return take_failure();
    return present.erase(r.text) > 0 ? RemoveOutcome::kRemoved : RemoveOutcome::kAlreadyAbsent;
  }
  Result<VipPresence> inspect(const conf::Resource& r) override {
    return VipPresence{present.count(r.text) > 0, interface, r.text};
  }
  Status watch(const conf::Resource& r) override {
    calls.push_back("watch " + r.text);
    return ok_status();
  }
  // "announce T N": N rounds, 0 = the agent's whole schedule.
  Status announce(const conf::Resource& r, int rounds) override {
    calls.push_back("announce " + r.text + " " + std::to_string(rounds));
    if (present.count(r.text) == 0) return Error{r.text + " is not configured"};
    return ok_status();
  }

 private:
  Error take_failure() {
    Error e{*fail};
    fail.reset();
    return e;
  }
};

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "vigil-ipd-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
    root_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string path(const std::string& rel) const { return root_ + "/" + rel; }

 private:
  std::string root_;
};

// Runs the loop until `done` is true or `limit` passes; returns done().
inline bool run_until(EventLoop& loop, const std::function<bool()>& done,
                      std::chrono::milliseconds limit = std::chrono::seconds(3)) {
  bool timed_out = false;
  Timer guard(loop, [&timed_out] { timed_out = true; });
  guard.arm_after(limit);
  while (!done() && !timed_out) (void)loop.run_once();
  return done();
}

// Runs the loop for `span`, whatever happens.
inline void run_for(EventLoop& loop, std::chrono::milliseconds span) {
  bool over = false;
  Timer guard(loop, [&over] { over = true; });
  guard.arm_after(span);
  while (!over) (void)loop.run_once();
}

// A client speaking the raw vocabulary, to play heartbeatd (or an
// attacker) against the server: every message it receives is kept.
class RawPeer {
 public:
  RawPeer(EventLoop& loop, const std::string& path) {
    auto c = ipc::Connection::connect(loop, path);
    if (!c) std::abort();
    connection_ = std::move(*c);
    connection_->start(
        [this](ipc::Frame frame) {
          auto m = proto::ipd::decode(frame);
          if (!m) std::abort();
          received.push_back(*m);
        },
        [this](const Error&) { closed = true; });
  }

  void send(const proto::ipd::Message& message) {
    auto bytes = proto::ipd::encode(message);
    if (!bytes) std::abort();
    send_raw(*bytes);
  }
  // A frame as given (for malformed payloads and unknown types).
  void send_frame(std::uint16_t type, const ipc::Bytes& payload) {
    (void)connection_->send(type, payload);
  }

  template <class T>
  std::vector<T> all() const {
    std::vector<T> out;
    for (const auto& m : received)
      if (const auto* v = std::get_if<T>(&m)) out.push_back(*v);
    return out;
  }

  std::vector<proto::ipd::Message> received;
  bool closed = false;

 private:
  void send_raw(const ipc::Bytes& bytes) {
    auto frame = ipc::decode_frame(bytes);
    if (!frame) std::abort();
    (void)connection_->send(frame->type, frame->payload);
  }
  std::unique_ptr<ipc::Connection> connection_;
};

}  // namespace vigil::ipd::testing
