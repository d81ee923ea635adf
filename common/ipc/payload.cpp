#include "common/ipc/payload.h"

#include <limits>

#include <fmt/format.h>

namespace vigil::ipc {

namespace {

constexpr std::size_t kMaxLengthPrefix = std::numeric_limits<std::uint16_t>::max();

}  // namespace

bool PayloadWriter::reserve(std::size_t n) {
  if (error_) return false;
  if (out_.size() + n > limit_) {
    error_ = Error{fmt::format("IPC payload would exceed its limit of {} bytes", limit_)};
    return false;
  }
  return true;
}

void PayloadWriter::put_uint(std::uint64_t v, std::size_t width) {
  if (!reserve(width)) return;
  for (std::size_t i = width; i-- > 0;) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void PayloadWriter::u8(std::uint8_t v) { put_uint(v, 1); }
void PayloadWriter::u16(std::uint16_t v) { put_uint(v, 2); }
void PayloadWriter::u32(std::uint32_t v) { put_uint(v, 4); }
void PayloadWriter::u64(std::uint64_t v) { put_uint(v, 8); }
void PayloadWriter::boolean(bool v) { put_uint(v ? 1 : 0, 1); }

void PayloadWriter::string(std::string_view s, std::size_t max_length) {
  bytes(ByteView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()), max_length);
}

void PayloadWriter::bytes(ByteView b, std::size_t max_length) {
  if (error_) return;
  if (b.size() > max_length || b.size() > kMaxLengthPrefix) {
    error_ = Error{fmt::format("IPC string of {} bytes exceeds its maximum of {}", b.size(),
                               std::min(max_length, kMaxLengthPrefix))};
    return;
  }
  if (!reserve(2 + b.size())) return;
  u16(static_cast<std::uint16_t>(b.size()));
  out_.insert(out_.end(), b.begin(), b.end());
}

Result<Bytes> PayloadWriter::finish() && {
  if (error_) return *error_;
  return std::move(out_);
}

bool PayloadReader::take(std::size_t n, const char* what) {
  if (error_) return false;
  if (remaining() < n) {
    error_ = Error{fmt::format("IPC payload too short: {} needs {} bytes at offset {}, {} left",
                               what, n, pos_, remaining())};
    return false;
  }
  return true;
}

std::uint64_t PayloadReader::get_uint(std::size_t width, const char* what) {
  if (!take(width, what)) return 0;
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < width; ++i) v = (v << 8) | in_[pos_ + i];
  pos_ += width;
  return v;
}

std::uint8_t PayloadReader::u8() { return static_cast<std::uint8_t>(get_uint(1, "u8")); }
std::uint16_t PayloadReader::u16() { return static_cast<std::uint16_t>(get_uint(2, "u16")); }
std::uint32_t PayloadReader::u32() { return static_cast<std::uint32_t>(get_uint(4, "u32")); }
std::uint64_t PayloadReader::u64() { return get_uint(8, "u64"); }

bool PayloadReader::boolean() {
  const std::size_t at = pos_;
  const std::uint64_t v = get_uint(1, "bool");
  if (v > 1 && !error_) {
    error_ = Error{fmt::format("IPC payload has bool value {} at offset {}", v, at)};
    return false;
  }
  return v == 1;
}

Bytes PayloadReader::bytes(std::size_t max_length) {
  const std::size_t at = pos_;
  const std::uint16_t length = u16();
  if (error_) return {};
  if (length > max_length) {
    error_ = Error{fmt::format("IPC string at offset {} is {} bytes, over its maximum of {}", at,
                               length, max_length)};
    return {};
  }
  if (!take(length, "string")) return {};
  Bytes out(in_.begin() + static_cast<std::ptrdiff_t>(pos_),
            in_.begin() + static_cast<std::ptrdiff_t>(pos_ + length));
  pos_ += length;
  return out;
}

std::string PayloadReader::string(std::size_t max_length) {
  const Bytes b = bytes(max_length);
  return std::string(b.begin(), b.end());
}

Status PayloadReader::finish() const {
  if (error_) return *error_;
  if (remaining() != 0) {
    return Error{fmt::format("IPC payload has {} trailing bytes after offset {}", remaining(), pos_)};
  }
  return ok_status();
}

}  // namespace vigil::ipc
