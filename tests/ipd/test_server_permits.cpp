#include <catch2/catch.hpp>

#include "ipd/server_permits.h"
#include "server_fixture.h"

using namespace vigil;
using namespace vigil::ipd;
using testing::config_with;
using testing::kHash;
using testing::kOtherHash;
namespace pi = proto::ipd;

namespace {

const conf::Config& web_config() {
  static const conf::Config c = config_with({{"IPaddr2::192.0.2.50/24/eth1", "httpd"},
                                             {"192.0.2.60", "Filesystem::/dev/sdb1::/srv::ext4"}});
  return c;
}

ServerPermits greeted() {
  ServerPermits p(web_config());
  REQUIRE(p.on_message(proto::Hello{kHash, 1000}).kind == Permit::Kind::kGreet);
  return p;
}

}  // namespace

TEST_CASE("ipd permits: Hello with our hash and a lease in bounds greets with that lease") {
  ServerPermits p(web_config());
  const Permit v = p.on_message(proto::Hello{kHash, 1500});
  CHECK(v.kind == Permit::Kind::kGreet);
  CHECK(v.lease_ms == 1500);
  CHECK(p.greeted());
}

TEST_CASE("ipd permits: Hello with another configuration hash closes the connection") {
  ServerPermits p(web_config());
  const Permit v = p.on_message(proto::Hello{kOtherHash, 1000});
  CHECK(v.kind == Permit::Kind::kClose);
  CHECK_THAT(v.why, Catch::Contains(kOtherHash) && Catch::Contains(kHash));
  CHECK_FALSE(p.greeted());
}

TEST_CASE("ipd permits: Hello with a lease out of bounds closes the connection") {
  ServerPermits p(web_config());
  CHECK(p.on_message(proto::Hello{kHash, proto::kMinLeaseMs - 1}).kind == Permit::Kind::kClose);
  ServerPermits q(web_config());
  CHECK(q.on_message(proto::Hello{kHash, proto::kMaxLeaseMs + 1}).kind == Permit::Kind::kClose);
}

TEST_CASE("ipd permits: before Hello nothing but Hello is permitted") {
  const std::vector<pi::Message> requests = {
      proto::Lease{1000},
      pi::AddVip{1, kHash, {0, 0}},
      pi::RemoveVip{2, kHash, {0, 0}},
      pi::ListVips{3},
      pi::AnnounceVip{4, kHash, {0, 0}, pi::AnnounceKind::kAgain},
  };
  for (const auto& m : requests) {
    ServerPermits p(web_config());
    const Permit v = p.on_message(m);
    CHECK(v.kind == Permit::Kind::kClose);
    CHECK_THAT(v.why, Catch::Contains("before Hello"));
  }
}

TEST_CASE("ipd permits: a second Hello on the same connection closes it") {
  ServerPermits p = greeted();
  CHECK(p.on_message(proto::Hello{kHash, 1000}).kind == Permit::Kind::kClose);
}

TEST_CASE("ipd permits: after Hello an AddVip of an IP entry is permitted with its place and id") {
  ServerPermits p = greeted();
  const Permit v = p.on_message(pi::AddVip{7, kHash, {1, 0}});
  CHECK(v.kind == Permit::Kind::kAdd);
  CHECK(v.request_id == 7);
  CHECK(v.place == proto::ResourcePlace{1, 0});
}

TEST_CASE(
    "ipd permits: after Hello a RemoveVip of an IP entry is permitted with its place and id") {
  ServerPermits p = greeted();
  const Permit v = p.on_message(pi::RemoveVip{8, kHash, {0, 0}});
  CHECK(v.kind == Permit::Kind::kRemove);
  CHECK(v.request_id == 8);
  CHECK(v.place == proto::ResourcePlace{0, 0});
}

TEST_CASE("ipd permits: after Hello ListVips is permitted") {
  ServerPermits p = greeted();
  const Permit v = p.on_message(pi::ListVips{9});
  CHECK(v.kind == Permit::Kind::kList);
  CHECK(v.request_id == 9);
}

TEST_CASE(
    "ipd permits: after Hello a Lease in bounds changes the lease, one out of bounds closes") {
  ServerPermits p = greeted();
  const Permit v = p.on_message(proto::Lease{4000});
  CHECK(v.kind == Permit::Kind::kLease);
  CHECK(v.lease_ms == 4000);
  CHECK(p.on_message(proto::Lease{proto::kMinLeaseMs - 1}).kind == Permit::Kind::kClose);
}

TEST_CASE("ipd permits: an AddVip or RemoveVip naming a script closes the connection") {
  ServerPermits p = greeted();
  const Permit add = p.on_message(pi::AddVip{1, kHash, {0, 1}});
  CHECK(add.kind == Permit::Kind::kClose);
  CHECK_THAT(add.why, Catch::Contains("httpd") && Catch::Contains("not an IP entry"));
  const Permit remove = p.on_message(pi::RemoveVip{2, kHash, {1, 1}});
  CHECK(remove.kind == Permit::Kind::kClose);
  CHECK_THAT(remove.why, Catch::Contains("Filesystem"));
}

TEST_CASE("ipd permits: a place outside the configuration closes the connection") {
  ServerPermits p = greeted();
  const Permit no_group = p.on_message(pi::AddVip{1, kHash, {2, 0}});
  CHECK(no_group.kind == Permit::Kind::kClose);
  CHECK_THAT(no_group.why, Catch::Contains("group 2 is not in haresources"));
  const Permit no_position = p.on_message(pi::RemoveVip{2, kHash, {0, 2}});
  CHECK(no_position.kind == Permit::Kind::kClose);
  CHECK_THAT(no_position.why, Catch::Contains("position 2"));
}

TEST_CASE("ipd permits: an AddVip or RemoveVip with another configuration hash closes") {
  ServerPermits p = greeted();
  CHECK(p.on_message(pi::AddVip{1, kOtherHash, {0, 0}}).kind == Permit::Kind::kClose);
  CHECK(p.on_message(pi::RemoveVip{2, kOtherHash, {0, 0}}).kind == Permit::Kind::kClose);
}

TEST_CASE("ipd permits: a Result, VipList or Event sent to ipd closes the connection") {
  const std::vector<pi::Message> answers = {
      pi::Result{1, pi::Outcome::kOk, ""},
      pi::VipList{2, {}},
      pi::Event{pi::EventKind::kLinkDown, {}, "eth1"},
  };
  for (const auto& m : answers) {
    ServerPermits p = greeted();
    CHECK(p.on_message(m).kind == Permit::Kind::kClose);
  }
}

TEST_CASE("ipd permits: the verdicts are a function of the state alone (walk of every message)") {
  // Exhaustive over (state, message kind): what is permitted in each state.
  const std::vector<std::pair<pi::Message, Permit::Kind>> after_hello = {
      {proto::Hello{kHash, 1000}, Permit::Kind::kClose},
      {proto::Lease{1000}, Permit::Kind::kLease},
      {pi::AddVip{1, kHash, {0, 0}}, Permit::Kind::kAdd},
      {pi::RemoveVip{1, kHash, {0, 0}}, Permit::Kind::kRemove},
      {pi::ListVips{1}, Permit::Kind::kList},
      {pi::AnnounceVip{1, kHash, {0, 0}, pi::AnnounceKind::kAgain}, Permit::Kind::kAnnounce},
      {pi::Result{1, pi::Outcome::kOk, ""}, Permit::Kind::kClose},
      {pi::VipList{1, {}}, Permit::Kind::kClose},
      {pi::Event{pi::EventKind::kVipLost, {0, 0}, "eth1"}, Permit::Kind::kClose},
  };
  for (const auto& [m, expected] : after_hello) {
    ServerPermits before(web_config());
    const Permit first = before.on_message(m);
    CHECK(first.kind ==
          (std::holds_alternative<proto::Hello>(m) ? Permit::Kind::kGreet : Permit::Kind::kClose));
    ServerPermits p = greeted();
    CHECK(p.on_message(m).kind == expected);
  }
}

TEST_CASE("ipd permits: an AnnounceVip of an IP entry is permitted with its place, id and kind") {
  ServerPermits p = greeted();
  const Permit v = p.on_message(pi::AnnounceVip{12, kHash, {1, 0}, pi::AnnounceKind::kRefresh});
  CHECK(v.kind == Permit::Kind::kAnnounce);
  CHECK(v.request_id == 12);
  CHECK(v.place == proto::ResourcePlace{1, 0});
  CHECK(v.announce == pi::AnnounceKind::kRefresh);
}

TEST_CASE("ipd permits: an AnnounceVip naming a script, a place outside or another hash closes") {
  ServerPermits p = greeted();
  const Permit script = p.on_message(pi::AnnounceVip{1, kHash, {0, 1}, pi::AnnounceKind::kAgain});
  CHECK(script.kind == Permit::Kind::kClose);
  CHECK_THAT(script.why, Catch::Contains("AnnounceVip") && Catch::Contains("not an IP entry"));
  CHECK(p.on_message(pi::AnnounceVip{2, kHash, {5, 0}, pi::AnnounceKind::kAgain}).kind ==
        Permit::Kind::kClose);
  CHECK(p.on_message(pi::AnnounceVip{3, kOtherHash, {0, 0}, pi::AnnounceKind::kAgain}).kind ==
        Permit::Kind::kClose);
}
