// Encoding and decoding of one IPC frame (layout: frame_format.h).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"

namespace vigil::ipc {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

struct Frame {
  std::uint16_t type = 0;
  Bytes payload;

  bool operator==(const Frame&) const = default;
};

// Header + payload. Fails only if the payload exceeds kMaxPayloadSize.
Result<Bytes> encode_frame(std::uint16_t type, ByteView payload);

// Checks every header rule of frame_format.h and that `datagram` is exactly
// header + length bytes; the error says which rule failed.
Result<Frame> decode_frame(ByteView datagram);

}  // namespace vigil::ipc
