// libFuzzer target for every IPC vocabulary (common/proto/: ipd,
// resourced, control) on both sides, and the framing under them
// (common/ipc/frame.h). This is what ipd and resourced parse from
// heartbeatd, what heartbeatd parses from them, and what heartbeatd's
// control socket parses from any local user (and vigilctl from
// heartbeatd). The first byte picks the vocabulary; the rest is one
// SOCK_SEQPACKET datagram as it arrives.
//
// Properties, beyond "never crashes" under ASan/UBSan: whatever decodes
// re-encodes (decode accepts only what encode could write), and the
// re-encoded frame decodes to the same message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "common/ipc/frame.h"
#include "common/proto/control_messages.h"
#include "common/proto/ipd_messages.h"
#include "common/proto/resourced_messages.h"

namespace {

using namespace vigil;

template <class Decode, class Encode>
void round_trip(const ipc::Frame& frame, Decode decode, Encode encode) {
  auto message = decode(frame);
  if (!message) return;
  auto bytes = encode(*message);
  if (!bytes) std::abort();  // decode accepted what encode refuses
  auto again_frame = ipc::decode_frame(*bytes);
  if (!again_frame) std::abort();
  auto again = decode(*again_frame);
  if (!again || !(*again == *message)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  auto frame = ipc::decode_frame(ipc::ByteView(data + 1, size - 1));
  if (!frame) return 0;
  switch (data[0] % 3) {
    case 0:
      round_trip(
          *frame, [](const ipc::Frame& f) { return proto::ipd::decode(f); },
          [](const proto::ipd::Message& m) { return proto::ipd::encode(m); });
      break;
    case 1:
      round_trip(
          *frame, [](const ipc::Frame& f) { return proto::resourced::decode(f); },
          [](const proto::resourced::Message& m) { return proto::resourced::encode(m); });
      break;
    default:
      round_trip(
          *frame, [](const ipc::Frame& f) { return proto::control::decode(f); },
          [](const proto::control::Message& m) { return proto::control::encode(m); });
      break;
  }
  return 0;
}
