// libFuzzer target for heartbeatd's control socket as a local user reaches
// it: the ControlServer (heartbeatd/control/control_server.h) on a real
// SOCK_SEQPACKET socket, with its Connection's framing, the control
// vocabulary's decoding, the access checks and the replies. fuzz_ipc
// covers the decoders alone; this covers what the server does with what
// they return, across several datagrams of one connection.
//
// Input: a sequence of datagrams, each a 2-byte big-endian length and that
// many bytes (the last one takes what is left). One connection per input
// sends them in order, the loop running between them.
//
// Properties, beyond "never crashes" under ASan/UBSan:
//   * everything the server sends back is one whole frame of a control
//     reply (StatusReply or CommandReply), at most one per datagram sent;
//   * once the client hangs up, the server holds no connection: no input
//     leaks a connection slot (common/ipc/connection_limit.h).
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <variant>
#include <vector>

#include "common/event_loop.h"
#include "common/ipc/frame.h"
#include "common/ipc/frame_format.h"
#include "common/ipc/socket.h"
#include "common/log.h"
#include "common/proto/control_messages.h"
#include "heartbeatd/control/control_server.h"
#include "tests/common/temp_dir.h"
#include "tests/proto/status_fixture.h"

namespace {

using namespace vigil;
namespace ctl = proto::control;

struct Provider : control::StatusProvider, control::CommandSink, control::ObservationProvider {
  ctl::StatusReply status() override { return testing::sample_status(); }
  ctl::CommandReply standby(ctl::ResourceClass) override { return {true, ""}; }
  ctl::CommandReply takeover(ctl::ResourceClass) override { return {false, "not now"}; }
  ctl::EventsReply events(std::uint64_t) override { return {}; }
  ctl::MetricsReply metrics() override { return {"vigil_build_info 1\n"}; }
};

// One server for the whole run: what an input must not do is leave it
// changed (a connection still held).
struct Rig {
  Rig() {
    // Each refused frame is logged; the fuzzer needs none of it.
    log::LogConfig quiet;
    quiet.logfacility = "none";
    quiet.force_backend = log::Backend::kNone;
    if (!log::init(quiet)) std::abort();
    auto fd = ipc::listen(socket, 0600);
    if (!fd) std::abort();
    // Our own user may read the status and, through our primary group,
    // command: every request type reaches its handler.
    server = std::make_unique<control::ControlServer>(
        loop, std::move(*fd), control::ControlPolicy{::getuid(), ::getgid(), std::nullopt, false},
        provider, provider, control::ControlLimits{}, &provider);
  }

  test::TempDir dir;
  std::string socket = dir.file("control.sock");
  EventLoop loop;
  Provider provider;
  std::unique_ptr<control::ControlServer> server;
};

std::vector<std::vector<std::uint8_t>> datagrams(const std::uint8_t* data, std::size_t size) {
  std::vector<std::vector<std::uint8_t>> out;
  std::size_t pos = 0;
  while (pos + 2 <= size) {
    std::size_t len = static_cast<std::size_t>(data[pos]) << 8 | data[pos + 1];
    pos += 2;
    if (len > size - pos) len = size - pos;
    out.emplace_back(data + pos, data + pos + len);
    pos += len;
  }
  return out;
}

// Reads every reply waiting on the client's side; false if one is not a
// whole control reply frame.
bool replies_well_formed(int fd, std::size_t& count) {
  std::vector<std::uint8_t> buf(ipc::kMaxFrameSize + 1);
  for (;;) {
    const ssize_t n = recv(fd, buf.data(), buf.size(), MSG_DONTWAIT);
    if (n <= 0) return true;  // nothing more (or the server hung up)
    ++count;
    auto frame = ipc::decode_frame(ipc::ByteView(buf.data(), static_cast<std::size_t>(n)));
    if (!frame) return false;
    auto message = ctl::decode(*frame);
    if (!message) return false;
    // Every reply the server sends: status, command, events, metrics.
    if (!std::holds_alternative<ctl::StatusReply>(*message) &&
        !std::holds_alternative<ctl::CommandReply>(*message) &&
        !std::holds_alternative<ctl::EventsReply>(*message) &&
        !std::holds_alternative<ctl::MetricsReply>(*message))
      return false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Rig rig;
  auto client = ipc::connect(rig.socket);
  if (!client) std::abort();  // nothing else holds the backlog
  (void)rig.loop.poll();      // accept
  const auto sends = datagrams(data, size);
  std::size_t sent = 0, replies = 0;
  for (const auto& d : sends) {
    if (send(client->get(), d.data(), d.size(), MSG_DONTWAIT | MSG_NOSIGNAL) < 0) break;
    ++sent;
    (void)rig.loop.poll();
    if (!replies_well_formed(client->get(), replies)) std::abort();
  }
  if (replies > sent) std::abort();
  client->reset();
  for (int i = 0; i < 100 && rig.server->client_count() != 0; ++i) (void)rig.loop.poll();
  if (rig.server->client_count() != 0) std::abort();  // a connection outlived its client
  return 0;
}
