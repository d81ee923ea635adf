// What the abuse tests of every IPC server share (ipd, resourced, the
// control socket; issue 15): the frames that break frame_format.h, a raw
// client that sends bytes as given and never reads unless asked, and the
// log check "exactly one refusal line names this peer's pid and uid".
#pragma once

#include <fmt/format.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/ipc/frame.h"
#include "common/ipc/frame_format.h"
#include "common/ipc/socket.h"
#include "common/log.h"
#include "common/unique_fd.h"
#include "tests/common/loop_helpers.h"

namespace vigil::test::abuse {

struct BadDatagram {
  std::string what;
  ipc::Bytes bytes;
};

// A well-formed frame of `type` with `payload`, as bytes.
inline ipc::Bytes frame_bytes(std::uint16_t type, const ipc::Bytes& payload) {
  auto bytes = ipc::encode_frame(type, payload);
  return bytes ? *bytes : ipc::Bytes{};
}

// Every way a datagram can break the frame rules, whatever the vocabulary.
inline std::vector<BadDatagram> malformed_frames() {
  const ipc::Bytes good = frame_bytes(1, {0, 0, 0, 1});
  auto with = [&](std::size_t at, std::uint8_t value) {
    ipc::Bytes b = good;
    b[at] = value;
    return b;
  };
  // A type-1 header declaring `length` payload bytes, with none after it.
  auto header_declaring = [](std::uint32_t length) {
    return ipc::Bytes{0x56,
                      0x47,
                      ipc::kFrameVersion,
                      0,
                      0,
                      1,
                      0,
                      0,
                      static_cast<std::uint8_t>(length >> 24),
                      static_cast<std::uint8_t>(length >> 16),
                      static_cast<std::uint8_t>(length >> 8),
                      static_cast<std::uint8_t>(length)};
  };
  const ipc::Bytes huge_length = header_declaring(0xFFFFFFFFu);
  const ipc::Bytes over_limit =
      header_declaring(static_cast<std::uint32_t>(ipc::kMaxPayloadSize + 1));
  ipc::Bytes oversize(ipc::kMaxFrameSize + 1, 0);
  std::copy(good.begin(), good.begin() + ipc::kFrameHeaderSize, oversize.begin());
  return {
      {"an empty datagram", {}},  // read as a hang-up: closed, nothing logged
      {"half a header", ipc::Bytes(good.begin(), good.begin() + 5)},
      {"a header without its payload", ipc::Bytes(good.begin(), good.begin() + 12)},
      {"a payload one byte longer than declared",
       [&] {
         ipc::Bytes b = good;
         b.push_back(0);
         return b;
       }()},
      {"a bad magic", with(ipc::kMagicOffset, 'X')},
      {"another version", with(ipc::kVersionOffset, 2)},
      {"flags set", with(ipc::kFlagsOffset, 1)},
      {"reserved bits set", with(ipc::kReservedOffset + 1, 1)},
      {"a length prefix of 4 GiB", huge_length},
      {"a length prefix one over the limit", over_limit},
      {"a datagram over the frame limit", oversize},
  };
}

inline std::string our_peer_text() { return fmt::format("pid {} uid {}", ::getpid(), ::getuid()); }

// Log lines that close or refuse a connection of this process's.
inline int refusals_of_us(const log::ScopedCapture& capture) {
  int n = 0;
  for (const auto& e : capture.events()) {
    // "closing IPC connection ...", "refusing IPC connection ...",
    // "control socket: refusing standby ...".
    const bool refusal = e.text.find("closing IPC connection") != std::string::npos ||
                         e.text.find("refusing") != std::string::npos;
    if (refusal && e.text.find(our_peer_text()) != std::string::npos) ++n;
  }
  return n;
}

// A client on a raw socket: sends datagrams as given, reads only to learn
// whether the server closed it.
class RawClient {
 public:
  explicit RawClient(const std::string& path) {
    auto fd = ipc::connect(path);
    if (fd) fd_ = std::move(*fd);
  }
  bool connected() const { return fd_.valid(); }
  // False when the server has gone or the socket is full.
  bool send(const ipc::Bytes& datagram) {
    return ::send(fd_.get(), datagram.data(), datagram.size(), MSG_NOSIGNAL | MSG_DONTWAIT) ==
           static_cast<ssize_t>(datagram.size());
  }
  // Reads (and drops) whatever the server sent; true once it hung up.
  bool closed_by_server() {
    std::vector<std::uint8_t> buffer(ipc::kMaxFrameSize);
    for (;;) {
      const ssize_t n = ::recv(fd_.get(), buffer.data(), buffer.size(), MSG_DONTWAIT);
      if (n > 0) continue;
      if (n == 0) return true;
      return errno == ECONNRESET;
    }
  }

 private:
  UniqueFd fd_;
};

// One server under test, as the checks below need it.
struct Target {
  EventLoop& loop;
  std::string path;
  std::function<std::size_t()> open;      // connections the server holds
  std::function<void(RawClient&)> greet;  // what a client says first (Hello)
  std::function<bool()> served;           // a well-formed client is answered
};

// `datagram` on a fresh greeted connection: the server closes it, logs
// `lines` refusal naming our pid and uid, and serves the next client.
inline void check_refused(Target& t, const ipc::Bytes& datagram, int lines = 1) {
  log::ScopedCapture capture;
  RawClient bad(t.path);
  REQUIRE(bad.connected());
  t.greet(bad);
  REQUIRE(bad.send(datagram));
  CHECK(run_until(t.loop, [&] { return bad.closed_by_server(); }));
  CHECK(refusals_of_us(capture) == lines);
  CHECK(run_until(t.loop, [&] { return t.open() == 0; }));
  CHECK(t.served());
}

// Every malformed_frames() datagram, each on its own connection.
inline void check_every_malformed_frame(Target& t) {
  for (const auto& bad : malformed_frames()) {
    INFO(bad.what);
    // An empty datagram reads as a hang-up: closed, nothing to log.
    check_refused(t, bad.bytes, bad.bytes.empty() ? 0 : 1);
  }
}

// Each named datagram (a type or value outside the vocabulary), each on
// its own connection.
inline void check_each_refused(Target& t,
                               const std::vector<std::pair<std::string, ipc::Bytes>>& cases) {
  for (const auto& [what, bytes] : cases) {
    INFO(what);
    check_refused(t, bytes);
  }
}

// For each well-formed `requests` frame: its type with an empty payload,
// with the payload one byte short, and with one byte too many.
inline void check_payload_bounds(Target& t, const std::vector<ipc::Bytes>& requests) {
  for (const auto& request : requests) {
    const auto type = static_cast<std::uint16_t>((request[ipc::kTypeOffset] << 8) |
                                                 request[ipc::kTypeOffset + 1]);
    const ipc::Bytes payload(request.begin() + ipc::kFrameHeaderSize, request.end());
    ipc::Bytes longer = payload;
    longer.push_back(0);
    INFO("type " << type);
    check_refused(t, frame_bytes(type, {}));
    check_refused(t, frame_bytes(type, ipc::Bytes(payload.begin(), payload.end() - 1)));
    check_refused(t, frame_bytes(type, longer));
  }
}

// `max` greeted clients hold every slot: one more is closed on accept with
// one line; once a slot is free a well-formed client is served.
inline void check_connection_limit(Target& t, std::size_t max) {
  std::vector<std::unique_ptr<RawClient>> holders;
  for (std::size_t i = 0; i < max; ++i) {
    holders.push_back(std::make_unique<RawClient>(t.path));
    t.greet(*holders.back());
  }
  REQUIRE(run_until(t.loop, [&] { return t.open() == max; }));
  log::ScopedCapture capture;
  RawClient extra(t.path);
  REQUIRE(extra.connected());
  CHECK(run_until(t.loop, [&] { return extra.closed_by_server(); }));
  CHECK(refusals_of_us(capture) == 1);
  CHECK(capture.contains("the limit"));
  CHECK(t.open() == max);
  holders.pop_back();
  REQUIRE(run_until(t.loop, [&] { return t.open() == max - 1; }));
  CHECK(t.served());
}

// A client that connects and then says nothing (or stops between frames)
// is closed once the server's deadline passes, with one line.
inline void check_silence(Target& t, bool greeted) {
  log::ScopedCapture capture;
  RawClient quiet(t.path);
  if (greeted) t.greet(quiet);
  CHECK(run_until(t.loop, [&] { return quiet.closed_by_server(); }));
  CHECK(refusals_of_us(capture) == 1);
  CHECK(capture.contains("sent no frame"));
  CHECK(t.served());
}

// A greeted client sends `request` over and over and never reads the
// replies: the server closes it once its queue is full, with one line, and
// serves the next client.
inline void check_slow_reader(Target& t, const ipc::Bytes& request) {
  log::ScopedCapture capture;
  RawClient slow(t.path);
  t.greet(slow);
  REQUIRE(run_until(t.loop, [&] { return t.open() == 1; }));
  bool cut = false;
  for (int round = 0; round < 2000 && !cut; ++round) {
    for (int i = 0; i < 32; ++i)
      if (!slow.send(request)) break;
    (void)run_until(
        t.loop, [&] { return t.open() == 0; }, std::chrono::milliseconds(1));
    cut = t.open() == 0;
  }
  CHECK(cut);
  CHECK(refusals_of_us(capture) == 1);
  CHECK(capture.contains("is not reading"));
  CHECK(t.served());
}

}  // namespace vigil::test::abuse
