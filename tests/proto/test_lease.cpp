#include <catch2/catch.hpp>

#include "common/proto/lease.h"

using namespace vigil;
using namespace std::chrono_literals;

namespace {
MonoTime at(std::chrono::milliseconds ms) { return MonoTime(ms); }
}  // namespace

TEST_CASE("lease: a helper whose heartbeatd never connects releases after the default lease") {
  proto::LeaseClock lease(250ms, at(0ms));
  CHECK_FALSE(lease.expire(at(249ms)));
  CHECK(lease.expire(at(250ms)));
}

TEST_CASE("lease: expiry is reported exactly once") {
  proto::LeaseClock lease(250ms, at(0ms));
  CHECK(lease.expire(at(300ms)));
  CHECK_FALSE(lease.expire(at(400ms)));
  CHECK_FALSE(lease.deadline().has_value());
}

TEST_CASE("lease: while heartbeatd is connected the lease never runs out") {
  proto::LeaseClock lease(250ms, at(0ms));
  lease.on_hello(1000);
  CHECK_FALSE(lease.expire(at(100000ms)));
  CHECK(lease.connected());
}

TEST_CASE("lease: a disconnect starts the clock with the lease heartbeatd asked for") {
  proto::LeaseClock lease(250ms, at(0ms));
  lease.on_hello(1000);
  lease.on_disconnect(at(5000ms));
  CHECK_FALSE(lease.expire(at(5999ms)));
  CHECK(lease.expire(at(6000ms)));
}

TEST_CASE("lease: a reconnect within the lease cancels the release") {
  proto::LeaseClock lease(250ms, at(0ms));
  lease.on_hello(1000);
  lease.on_disconnect(at(5000ms));
  lease.on_hello(1000);
  CHECK_FALSE(lease.expire(at(7000ms)));
}

TEST_CASE("lease: a Lease message while connected changes the next countdown") {
  proto::LeaseClock lease(250ms, at(0ms));
  lease.on_hello(1000);
  lease.on_lease(200);
  lease.on_disconnect(at(0ms));
  CHECK(lease.expire(at(200ms)));
}
