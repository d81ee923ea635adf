#include <catch2/catch.hpp>

#include "common/ipc/frame.h"
#include "common/ipc/frame_format.h"

using namespace vigil;
using namespace vigil::ipc;

namespace {

Bytes valid_frame(std::uint16_t type, const Bytes& payload) {
  auto f = encode_frame(type, payload);
  REQUIRE(f.ok());
  return *f;
}

bool rejected_with(const Bytes& datagram, const std::string& words) {
  auto r = decode_frame(datagram);
  if (r.ok()) return false;
  INFO(r.error().message);
  return r.error().message.find(words) != std::string::npos;
}

}  // namespace

TEST_CASE("ipc frame: the header is laid out as frame_format.h documents") {
  const Bytes f = valid_frame(0x0102, {0xAA, 0xBB, 0xCC});
  const Bytes expected = {0x56, 0x47, 0x01, 0x00, 0x01, 0x02, 0x00, 0x00,
                          0x00, 0x00, 0x00, 0x03, 0xAA, 0xBB, 0xCC};
  CHECK(f == expected);
}

TEST_CASE("ipc frame: encode then decode gives back type and payload") {
  const Bytes payload = {1, 2, 3, 4, 5, 0, 255};
  auto decoded = decode_frame(valid_frame(7, payload));
  REQUIRE(decoded.ok());
  CHECK(decoded->type == 7);
  CHECK(decoded->payload == payload);
}

TEST_CASE("ipc frame: an empty payload and the largest payload both round-trip") {
  auto empty = decode_frame(valid_frame(1, {}));
  REQUIRE(empty.ok());
  CHECK(empty->payload.empty());
  const Bytes big(kMaxPayloadSize, 0x5A);
  auto largest = decode_frame(valid_frame(2, big));
  REQUIRE(largest.ok());
  CHECK(largest->payload == big);
}

TEST_CASE("ipc frame: a payload over the limit cannot be encoded") {
  const Bytes too_big(kMaxPayloadSize + 1, 0);
  CHECK_FALSE(encode_frame(1, too_big).ok());
}

TEST_CASE("ipc frame: a datagram shorter than the header is rejected") {
  Bytes f = valid_frame(1, {});
  f.pop_back();
  CHECK(rejected_with(f, "shorter than its header"));
  CHECK(rejected_with({}, "shorter than its header"));
}

TEST_CASE("ipc frame: a datagram longer than header + length is rejected") {
  Bytes f = valid_frame(1, {9, 9});
  f.push_back(0);
  CHECK(rejected_with(f, "declares 2 payload bytes but carries 3"));
}

TEST_CASE("ipc frame: a datagram shorter than header + length is rejected") {
  Bytes f = valid_frame(1, {9, 9});
  f.pop_back();
  CHECK(rejected_with(f, "declares 2 payload bytes but carries 1"));
}

TEST_CASE("ipc frame: a wrong magic is rejected") {
  Bytes f = valid_frame(1, {});
  f[kMagicOffset] = 'X';
  CHECK(rejected_with(f, "bad magic"));
}

TEST_CASE("ipc frame: an unknown version is rejected as an error value") {
  Bytes f = valid_frame(1, {});
  f[kVersionOffset] = 2;
  CHECK(rejected_with(f, "version 2 is not 1, this process's"));
  CHECK(rejected_with(f, "different vigil releases"));
  f[kVersionOffset] = 0;
  CHECK(rejected_with(f, "version 0 is not 1"));
}

TEST_CASE("ipc frame: non-zero reserved bits are rejected") {
  Bytes flags = valid_frame(1, {});
  flags[kFlagsOffset] = 1;
  CHECK(rejected_with(flags, "reserved"));
  Bytes reserved = valid_frame(1, {});
  reserved[kReservedOffset + 1] = 1;
  CHECK(rejected_with(reserved, "reserved"));
}

TEST_CASE("ipc frame: a declared length over the limit is rejected before anything else") {
  Bytes f = valid_frame(1, {});
  f[kLengthOffset] = 0xFF;
  CHECK(rejected_with(f, "over the limit"));
}
