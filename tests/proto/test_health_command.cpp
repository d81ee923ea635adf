// vigilctl cleanup / maintenance on|off [GROUP] on the control socket
// (common/proto/control_messages.h, type 10 HealthCommand, issue 16):
// every verb round-trips, with and without a group, and a frame the decoder
// must not trust (a verb out of range, a group key past its bound, a payload
// cut short or too long) is refused.
#include <catch2/catch.hpp>
#include <string>

#include "common/ipc/frame.h"
#include "common/proto/control_messages.h"

using namespace vigil;
namespace c = vigil::proto::control;

namespace {

using Verb = c::HealthCommand::Verb;

ipc::Bytes bytes_of(const c::HealthCommand& command) {
  auto bytes = c::encode(c::Message{command});
  REQUIRE(bytes);
  return *bytes;
}

vigil::Result<c::Message> decode_bytes(const ipc::Bytes& bytes) {
  auto frame = ipc::decode_frame(bytes);
  REQUIRE(frame);
  return c::decode(*frame);
}

}  // namespace

TEST_CASE("health command: every verb round-trips, with and without a group") {
  for (Verb verb : {Verb::kCleanup, Verb::kMaintenanceOn, Verb::kMaintenanceOff})
    for (const std::string group : {"", "IPaddr::192.0.2.11/24"}) {
      const c::HealthCommand command{verb, group};
      auto back = decode_bytes(bytes_of(command));
      REQUIRE(back);
      const auto* got = std::get_if<c::HealthCommand>(&*back);
      REQUIRE(got != nullptr);
      CHECK(*got == command);
    }
}

TEST_CASE("health command: its type number is 10 on the wire") {
  CHECK(static_cast<int>(c::Type::kHealthCommand) == 10);
}

TEST_CASE("health command: a verb out of range is refused both ways") {
  CHECK_FALSE(c::encode(c::Message{c::HealthCommand{static_cast<Verb>(0), ""}}));
  CHECK_FALSE(c::encode(c::Message{c::HealthCommand{static_cast<Verb>(4), ""}}));
  // The verb is the payload's first byte, after the frame header.
  auto bytes = bytes_of({Verb::kMaintenanceOn, "g"});
  const std::size_t verb_at = bytes.size() - (1 + 2 + 1);  // verb, u16 length, "g"
  REQUIRE(bytes[verb_at] == static_cast<std::uint8_t>(Verb::kMaintenanceOn));
  for (std::uint8_t bad : {0, 4, 255}) {
    bytes[verb_at] = bad;
    CHECK_FALSE(decode_bytes(bytes));
  }
}

TEST_CASE("health command: a group key past its bound is refused") {
  CHECK_FALSE(
      c::encode(c::Message{c::HealthCommand{Verb::kMaintenanceOn, std::string(5000, 'g')}}));
}
