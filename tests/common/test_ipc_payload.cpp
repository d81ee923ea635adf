#include <catch2/catch.hpp>

#include "common/ipc/payload.h"

using namespace vigil;
using namespace vigil::ipc;

namespace {

std::string error_of(const Status& s) { return s.ok() ? "" : s.error().message; }

}  // namespace

TEST_CASE("ipc payload: every field type round-trips") {
  PayloadWriter w;
  w.u8(0xFE);
  w.u16(0xBEEF);
  w.u32(0xDEADBEEF);
  w.u64(0x0123456789ABCDEFULL);
  w.boolean(true);
  w.boolean(false);
  w.string("IPaddr::10.0.0.10/24", 64);
  w.string("", 64);
  w.bytes(Bytes{0, 1, 2}, 8);
  auto payload = std::move(w).finish();
  REQUIRE(payload.ok());

  PayloadReader r(*payload);
  CHECK(r.u8() == 0xFE);
  CHECK(r.u16() == 0xBEEF);
  CHECK(r.u32() == 0xDEADBEEF);
  CHECK(r.u64() == 0x0123456789ABCDEFULL);
  CHECK(r.boolean());
  CHECK_FALSE(r.boolean());
  CHECK(r.string(64) == "IPaddr::10.0.0.10/24");
  CHECK(r.string(64).empty());
  CHECK(r.bytes(8) == Bytes{0, 1, 2});
  CHECK(r.finish().ok());
}

TEST_CASE("ipc payload: integers and string lengths are big-endian") {
  PayloadWriter w;
  w.u16(0x0102);
  w.u32(0x03040506);
  w.string("ab", 2);
  auto payload = std::move(w).finish();
  REQUIRE(payload.ok());
  CHECK(*payload == Bytes{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x00, 0x02, 'a', 'b'});
}

TEST_CASE("ipc payload: reading past the end is an over-read error") {
  const Bytes payload = {0x00, 0x01, 0x02};
  PayloadReader r(payload);
  CHECK(r.u16() == 1);
  CHECK(r.u32() == 0);
  CHECK(r.failed());
  CHECK(error_of(r.finish()).find("u32 needs 4 bytes at offset 2, 1 left") != std::string::npos);
}

TEST_CASE("ipc payload: bytes left after the last field are an error") {
  const Bytes payload = {0x00, 0x01, 0x02};
  PayloadReader r(payload);
  CHECK(r.u16() == 1);
  CHECK(error_of(r.finish()).find("1 trailing bytes") != std::string::npos);
}

TEST_CASE("ipc payload: a string longer than its maximum is refused on both sides") {
  PayloadWriter w;
  w.string("toolong", 4);
  auto written = std::move(w).finish();
  CHECK_FALSE(written.ok());

  const Bytes payload = {0x00, 0x07, 't', 'o', 'o', 'l', 'o', 'n', 'g'};
  PayloadReader r(payload);
  CHECK(r.string(4).empty());
  CHECK(error_of(r.finish()).find("over its maximum of 4") != std::string::npos);
}

TEST_CASE("ipc payload: a string length beyond the payload is an over-read") {
  const Bytes payload = {0x00, 0x09, 'a', 'b'};
  PayloadReader r(payload);
  CHECK(r.string(100).empty());
  CHECK_FALSE(r.finish().ok());
}

TEST_CASE("ipc payload: a bool byte other than 0 or 1 is an error") {
  const Bytes payload = {0x02};
  PayloadReader r(payload);
  (void)r.boolean();
  CHECK(error_of(r.finish()).find("bool value 2") != std::string::npos);
}

TEST_CASE("ipc payload: the first error sticks and later reads return zero") {
  const Bytes payload = {0x01};
  PayloadReader r(payload);
  CHECK(r.u16() == 0);
  CHECK(r.u8() == 0);  // the byte is there, but the reader has failed
  CHECK(error_of(r.finish()).find("u16") != std::string::npos);
}

TEST_CASE("ipc payload: a writer over its byte limit fails at finish") {
  PayloadWriter w(5);
  w.u32(1);
  w.u16(2);
  w.u8(3);  // ignored after the failure
  auto payload = std::move(w).finish();
  REQUIRE_FALSE(payload.ok());
  CHECK(payload.error().message.find("limit of 5") != std::string::npos);
}
