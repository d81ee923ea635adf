// The permit state machine of a resourced connection (server_permits.h).
#include <catch2/catch.hpp>

#include "resourced/server_permits.h"
#include "server_config.h"

using namespace vigil;
using namespace vigil::resourced;
using namespace vigil::resourced::testing;
namespace pr = vigil::proto::resourced;

namespace {

const conf::Config& config() {
  static const conf::Config c = config_with({{"10.0.0.1", "apache", "mysql"}, {"exim"}});
  return c;
}

pr::Request request(std::uint16_t group, std::uint16_t position, const std::string& hash = kHash) {
  return pr::Request{7, hash, proto::ResourcePlace{group, position}, pr::Op::kStart};
}

ServerPermits greeted() {
  ServerPermits p(config());
  REQUIRE(p.on_message(proto::Hello{kHash, 5000}).kind == Permit::Kind::kGreet);
  return p;
}

}  // namespace

TEST_CASE("permits: a Hello with our hash and a lease in bounds greets, with its lease") {
  ServerPermits p(config());
  const Permit v = p.on_message(proto::Hello{kHash, 5000});
  CHECK(v.kind == Permit::Kind::kGreet);
  CHECK(v.lease_ms == 5000);
  CHECK(p.greeted());
}

TEST_CASE("permits: a Hello with another configuration hash closes the connection") {
  ServerPermits p(config());
  const Permit v = p.on_message(proto::Hello{kOtherHash, 5000});
  CHECK(v.kind == Permit::Kind::kClose);
  CHECK(v.why.find("configuration hash") != std::string::npos);
  CHECK_FALSE(p.greeted());
}

TEST_CASE("permits: a Hello with a lease out of bounds closes the connection") {
  ServerPermits p(config());
  CHECK(p.on_message(proto::Hello{kHash, proto::kMinLeaseMs - 1}).kind == Permit::Kind::kClose);
  ServerPermits q(config());
  CHECK(q.on_message(proto::Hello{kHash, proto::kMaxLeaseMs + 1}).kind == Permit::Kind::kClose);
}

TEST_CASE("permits: before Hello, a Request is not permitted") {
  ServerPermits p(config());
  const Permit v = p.on_message(request(0, 1));
  CHECK(v.kind == Permit::Kind::kClose);
  CHECK(v.why == "Request before Hello");
}

TEST_CASE("permits: before Hello, a Lease is not permitted") {
  ServerPermits p(config());
  CHECK(p.on_message(proto::Lease{5000}).kind == Permit::Kind::kClose);
}

TEST_CASE("permits: a second Hello on the same connection closes it") {
  ServerPermits p = greeted();
  CHECK(p.on_message(proto::Hello{kHash, 5000}).kind == Permit::Kind::kClose);
}

TEST_CASE("permits: after Hello, a Lease in bounds changes the lease") {
  ServerPermits p = greeted();
  const Permit v = p.on_message(proto::Lease{800});
  CHECK(v.kind == Permit::Kind::kLease);
  CHECK(v.lease_ms == 800);
  CHECK(p.on_message(proto::Lease{proto::kMaxLeaseMs + 1}).kind == Permit::Kind::kClose);
}

TEST_CASE("permits: after Hello, a Request for a configured script runs it") {
  ServerPermits p = greeted();
  const Permit v = p.on_message(request(0, 2));
  CHECK(v.kind == Permit::Kind::kRun);
  CHECK(v.request == request(0, 2));
}

TEST_CASE("permits: a Request naming an IP entry closes the connection (it is ipd's)") {
  ServerPermits p = greeted();
  const Permit v = p.on_message(request(0, 0));
  CHECK(v.kind == Permit::Kind::kClose);
  CHECK(v.why.find("IP entry") != std::string::npos);
}

TEST_CASE("permits: a Request for a group out of the configuration closes the connection") {
  ServerPermits p = greeted();
  const Permit v = p.on_message(request(2, 0));
  CHECK(v.kind == Permit::Kind::kClose);
  CHECK(v.why.find("group 2 is not in haresources") != std::string::npos);
}

TEST_CASE("permits: a Request for a position out of its group closes the connection") {
  ServerPermits p = greeted();
  const Permit v = p.on_message(request(1, 1));
  CHECK(v.kind == Permit::Kind::kClose);
  CHECK(v.why.find("position 1 is not in group exim") != std::string::npos);
}

TEST_CASE("permits: a Request carrying another configuration hash closes the connection") {
  ServerPermits p = greeted();
  CHECK(p.on_message(request(0, 1, kOtherHash)).kind == Permit::Kind::kClose);
}

TEST_CASE("permits: a Reply sent to resourced closes the connection, greeted or not") {
  ServerPermits fresh(config());
  CHECK(fresh.on_message(pr::Reply{}).kind == Permit::Kind::kClose);
  ServerPermits p = greeted();
  CHECK(p.on_message(pr::Reply{}).kind == Permit::Kind::kClose);
}

namespace {

pr::Task respawn_task(std::uint16_t index, const std::string& hash = kHash) {
  return pr::Task{9, hash, pr::TaskKind::kRespawn, index, pr::Op::kStart, {}};
}

ServerPermits greeted_with_tasks() {
  ServerPermits p(config(), [](const pr::Task& t) {
    return t.index == 0 ? std::string() : std::string("not a respawn entry vigil runs");
  });
  REQUIRE(p.on_message(proto::Hello{kHash, 5000}).kind == Permit::Kind::kGreet);
  return p;
}

}  // namespace

TEST_CASE("permits: a Task naming an entry resourced runs is carried out") {
  ServerPermits p = greeted_with_tasks();
  const Permit v = p.on_message(respawn_task(0));
  CHECK(v.kind == Permit::Kind::kTask);
  CHECK(v.task == respawn_task(0));
}

TEST_CASE(
    "permits: a Task naming nothing resourced runs, or before Hello, or with another "
    "hash, closes the connection") {
  ServerPermits p = greeted_with_tasks();
  const Permit v = p.on_message(respawn_task(1));
  CHECK(v.kind == Permit::Kind::kClose);
  CHECK(v.why == "Task 9: not a respawn entry vigil runs");
  ServerPermits q = greeted_with_tasks();
  CHECK(q.on_message(respawn_task(0, kOtherHash)).kind == Permit::Kind::kClose);
  ServerPermits fresh(config(), [](const pr::Task&) { return std::string(); });
  CHECK(fresh.on_message(respawn_task(0)).kind == Permit::Kind::kClose);
}
