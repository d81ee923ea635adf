#include "common/ipc/frame.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/ipc/frame_format.h"

namespace vigil::ipc {

namespace {

void put_u16(Bytes& out, std::size_t at, std::uint16_t v) {
  out[at] = static_cast<std::uint8_t>(v >> 8);
  out[at + 1] = static_cast<std::uint8_t>(v);
}

void put_u32(Bytes& out, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) out[at + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

std::uint16_t get_u16(ByteView in, std::size_t at) {
  return static_cast<std::uint16_t>((in[at] << 8) | in[at + 1]);
}

std::uint32_t get_u32(ByteView in, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | in[at + i];
  return v;
}

}  // namespace

Result<Bytes> encode_frame(std::uint16_t type, ByteView payload) {
  if (payload.size() > kMaxPayloadSize) {
    return Error{fmt::format("IPC payload of {} bytes exceeds the limit of {}", payload.size(),
                             kMaxPayloadSize)};
  }
  Bytes out(kFrameHeaderSize + payload.size(), 0);
  put_u16(out, kMagicOffset, kFrameMagic);
  out[kVersionOffset] = kFrameVersion;
  put_u16(out, kTypeOffset, type);
  put_u32(out, kLengthOffset, static_cast<std::uint32_t>(payload.size()));
  std::copy(payload.begin(), payload.end(), out.begin() + kFrameHeaderSize);
  return out;
}

Result<Frame> decode_frame(ByteView datagram) {
  if (datagram.size() < kFrameHeaderSize) {
    return Error{fmt::format("IPC frame of {} bytes is shorter than its header", datagram.size())};
  }
  if (get_u16(datagram, kMagicOffset) != kFrameMagic) return Error{"IPC frame has a bad magic"};
  if (datagram[kVersionOffset] != kFrameVersion) {
    // frame_format.md, "Versions and upgrades": only a half-finished
    // upgrade mixes versions; say so where the admin looks.
    return Error{fmt::format(
        "IPC frame version {} is not {}, this process's: heartbeatd and its helpers are from "
        "different vigil releases (restart the one not yet upgraded)",
        datagram[kVersionOffset], kFrameVersion)};
  }
  if (datagram[kFlagsOffset] != 0 || get_u16(datagram, kReservedOffset) != 0) {
    return Error{"IPC frame has reserved bits set"};
  }
  const std::uint32_t length = get_u32(datagram, kLengthOffset);
  if (length > kMaxPayloadSize) {
    return Error{fmt::format("IPC frame declares a payload of {} bytes, over the limit", length)};
  }
  if (datagram.size() - kFrameHeaderSize != length) {
    return Error{fmt::format("IPC frame declares {} payload bytes but carries {}", length,
                             datagram.size() - kFrameHeaderSize)};
  }
  Frame frame;
  frame.type = get_u16(datagram, kTypeOffset);
  frame.payload.assign(datagram.begin() + kFrameHeaderSize, datagram.end());
  return frame;
}

}  // namespace vigil::ipc
