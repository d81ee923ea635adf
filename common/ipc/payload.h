// Typed fields inside an IPC payload, so each message vocabulary is a few
// checked lines per message:
//
//   PayloadWriter w;
//   w.u16(group_index); w.string(resource, kMaxResourceName);
//   Result<Bytes> payload = w.finish();
//
//   PayloadReader r(frame.payload);
//   const auto group = r.u16();
//   const auto resource = r.string(kMaxResourceName);
//   if (Status s = r.finish(); !s) return s.error();
//
// Encoding (frame_format.h): integers big-endian (network order) in their
// natural width; bool as one byte 0 or 1; a string or byte run as a u16
// length followed by that many bytes.
//
// Both sides carry a sticky error: after the first failure every further
// call does nothing (the reader returns zero values) and finish() reports
// that first failure. Callers check once, at the end.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/ipc/frame.h"
#include "common/ipc/frame_format.h"
#include "common/result.h"

namespace vigil::ipc {

class PayloadWriter {
 public:
  // `limit`: the most bytes the payload may hold.
  explicit PayloadWriter(std::size_t limit = kMaxPayloadSize) : limit_(limit) {}

  void u8(std::uint8_t v);
  void u16(std::uint16_t v);
  void u32(std::uint32_t v);
  void u64(std::uint64_t v);
  void boolean(bool v);
  // Fails if `s` is longer than `max_length` (at most 65535).
  void string(std::string_view s, std::size_t max_length);
  void bytes(ByteView b, std::size_t max_length);

  // The payload, or the first error (over the limit, string too long).
  Result<Bytes> finish() &&;

 private:
  bool reserve(std::size_t n);
  void put_uint(std::uint64_t v, std::size_t width);

  std::size_t limit_;
  Bytes out_;
  std::optional<Error> error_;
};

class PayloadReader {
 public:
  // Does not copy: `payload` must outlive the reader.
  explicit PayloadReader(ByteView payload) : in_(payload) {}

  std::uint8_t u8();
  std::uint16_t u16();
  std::uint32_t u32();
  std::uint64_t u64();
  // Fails on any byte other than 0 or 1.
  bool boolean();
  // Fails if the declared length exceeds `max_length` or the payload.
  std::string string(std::size_t max_length);
  Bytes bytes(std::size_t max_length);

  // Fails with the first error, or if bytes are left unread.
  [[nodiscard]] Status finish() const;
  bool failed() const { return error_.has_value(); }
  std::size_t remaining() const { return in_.size() - pos_; }

 private:
  bool take(std::size_t n, const char* what);
  std::uint64_t get_uint(std::size_t width, const char* what);

  ByteView in_;
  std::size_t pos_ = 0;
  std::optional<Error> error_;
};

}  // namespace vigil::ipc
