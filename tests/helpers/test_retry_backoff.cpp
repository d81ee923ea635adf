// heartbeatd/helpers/retry_backoff.h: the helper clients' reconnection
// delays, doubling but never above a quarter of the lease.
#include <catch2/catch.hpp>

#include "heartbeatd/helpers/retry_backoff.h"

using namespace vigil;
using namespace std::chrono_literals;
using helpers::RetryBackoff;

TEST_CASE("retry backoff: waits double from the first retry up to the maximum") {
  RetryBackoff b(100ms, 500ms, 0);
  CHECK(b.next() == 100ms);
  CHECK(b.next() == 200ms);
  CHECK(b.next() == 400ms);
  CHECK(b.next() == 500ms);
  CHECK(b.next() == 500ms);
}

TEST_CASE("retry backoff: never waits more than a quarter of the lease") {
  RetryBackoff b(100ms, 5s, 1000);
  CHECK(b.cap() == 250ms);
  CHECK(b.next() == 100ms);
  CHECK(b.next() == 200ms);
  CHECK(b.next() == 250ms);
  CHECK(b.next() == 250ms);
}

TEST_CASE("retry backoff: a lease shorter than four first retries caps the first wait too") {
  RetryBackoff b(100ms, 5s, 100);
  CHECK(b.next() == 25ms);
  CHECK(b.next() == 25ms);
}

TEST_CASE("retry backoff: the wait never drops below the floor") {
  RetryBackoff b(1ms, 5s, 8);
  CHECK(b.next() == RetryBackoff::kFloor);
}

TEST_CASE("retry backoff: reset starts the next outage from the first retry") {
  RetryBackoff b(100ms, 5s, 0);
  b.next();
  b.next();
  b.reset();
  CHECK(b.next() == 100ms);
}

TEST_CASE("retry backoff: a new lease changes the cap at once") {
  RetryBackoff b(100ms, 5s, 0);
  for (int i = 0; i < 10; ++i) b.next();
  b.set_lease(400);
  CHECK(b.next() == 100ms);
}
