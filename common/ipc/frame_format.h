// The frame every vigil IPC message travels in, between heartbeatd and its
// root helpers (resourced, ipd) and between vigilctl and heartbeatd. See
// frame_format.md beside this file for the reasoning.
//
// Transport: a Unix SOCK_SEQPACKET socket. One datagram is one frame; the
// kernel keeps datagram boundaries, so there is no stream reassembly and a
// frame is never split or merged.
//
// A frame is a fixed 12-byte header followed by the payload. Every integer
// is in network byte order (big-endian), in the header and in payloads
// written with PayloadWriter (payload.h):
//
//   offset  size  field
//        0     2  magic        kFrameMagic, "VG"
//        2     1  version      kFrameVersion; any other value is rejected
//        3     1  flags        reserved, must be 0
//        4     2  type         message type; its meaning belongs to the
//                              vocabulary of one boundary (not to common/)
//        6     2  reserved     must be 0
//        8     4  length       payload length in bytes, <= kMaxPayloadSize
//       12     -  payload      exactly `length` bytes
//
// A datagram is accepted only if it is exactly kFrameHeaderSize + length
// bytes long. A frame that breaks any rule above is a protocol violation:
// the receiver closes the connection and logs the peer.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vigil::ipc {

inline constexpr std::uint16_t kFrameMagic = 0x5647;  // 'V' 'G'
inline constexpr std::uint8_t kFrameVersion = 1;
inline constexpr std::size_t kFrameHeaderSize = 12;

// Bounded well under the default Unix socket buffer (208 KiB) so one frame
// always fits; no vigil message comes near it.
inline constexpr std::size_t kMaxFrameSize = 64 * 1024;
inline constexpr std::size_t kMaxPayloadSize = kMaxFrameSize - kFrameHeaderSize;

// Header field offsets.
inline constexpr std::size_t kMagicOffset = 0;
inline constexpr std::size_t kVersionOffset = 2;
inline constexpr std::size_t kFlagsOffset = 3;
inline constexpr std::size_t kTypeOffset = 4;
inline constexpr std::size_t kReservedOffset = 6;
inline constexpr std::size_t kLengthOffset = 8;

static_assert(kLengthOffset + 4 == kFrameHeaderSize);

}  // namespace vigil::ipc
