// Our own status messages, local status and comm up (heartbeat-compat.md
// §5.6, §5.10, §6.1, §6.2).
#include <catch2/catch.hpp>

#include "tests/core/core_fixture.h"

using namespace vigil;
using namespace vigil::core;
using namespace vigil::core::testing;

TEST_CASE("status: the first status says init, the next ones up", "[core][status]") {
  auto config = make_config();
  Core core(config, CoreParams{0x200, 1, 1});
  auto a = core.start(t0());
  auto st = sends_of_type(a, "status");
  REQUIRE(st.size() == 1);
  CHECK(st[0].message.get_or("st", "") == "init");
  auto b = run_until(core, t0() + 1s);
  auto st2 = sends_of_type(b, "status");
  REQUIRE(st2.size() == 1);
  CHECK(st2[0].message.get_or("st", "") == "up");
}

TEST_CASE("status: a resumed generation says active from its first status on", "[core][status]") {
  auto config = make_config();
  CoreParams params{0x200, 40, 1};
  params.resumed = true;
  Core core(config, params);
  auto a = core.start(t0());
  auto st = sends_of_type(a, "status");
  REQUIRE(st.size() == 1);
  CHECK(st[0].message.get_or("st", "") == "active");
  auto b = run_until(core, t0() + 1s);
  auto st2 = sends_of_type(b, "status");
  REQUIRE(st2.size() == 1);
  CHECK(st2[0].message.get_or("st", "") == "active");
}

TEST_CASE("status: one status goes out every keepalive", "[core][status]") {
  auto config = make_config();
  Core core(config, CoreParams{0x200, 1, 1});
  core.start(t0());
  auto a = run_until(core, t0() + 10s);
  CHECK(sends_of_type(a, "status").size() == 10);
}

TEST_CASE("status: dt is deadtime+2000 ms in lowercase hex for 5 s, then deadtime",
          "[core][status]") {
  auto config = make_config();
  Core core(config, CoreParams{0x200, 1, 1});
  auto a = core.start(t0());
  CHECK(sends_of_type(a, "status")[0].message.get_or("dt", "") == "2ee0");  // 12000
  auto b = run_until(core, t0() + 4s);
  CHECK(sends_of_type(b, "status").back().message.get_or("dt", "") == "2ee0");
  auto c = run_until(core, t0() + 6s);
  CHECK(sends_of_type(c, "status").back().message.get_or("dt", "") == "2710");  // 10000
}

TEST_CASE("status: sequenced sends carry consecutive seqs from first_seq and our generation",
          "[core][status]") {
  auto config = make_config();
  Core core(config, CoreParams{0x6b0614d6, 7, 1});
  auto a = core.start(t0());
  append(a, run_until(core, t0() + 2s));
  auto st = sends_of_type(a, "status");
  REQUIRE(st.size() == 3);
  for (std::size_t i = 0; i < st.size(); ++i) {
    REQUIRE(st[i].seq.has_value());
    CHECK(*st[i].seq == 7 + i);
    CHECK(st[i].generation == 0x6b0614d6);
    CHECK_FALSE(st[i].message.has("protocol"));  // flow control off (core.h)
  }
}

TEST_CASE("local status: start logs 'up' with heartbeat's words", "[core][status]") {
  auto config = make_config();
  Core core(config, CoreParams{1, 1, 1});
  auto a = core.start(t0());
  const Log* l = find_log(a, "Local status now set to: 'up'");
  REQUIRE(l != nullptr);
  CHECK(l->priority == log::Priority::kInfo);
  CHECK(core.local_status() == LocalStatus::kUp);
  CHECK_FALSE(core.comm_up());
}

TEST_CASE("comm up: a node without peers comes up and goes active at start", "[core][status]") {
  auto config = make_config({"node1"});
  Core core(config, CoreParams{1, 1, 1});
  auto a = core.start(t0());
  CHECK(log_texts(a) == std::vector<std::string>{"Local status now set to: 'up'",
                                                 "Comm_now_up(): updating status to active",
                                                 "Local status now set to: 'active'"});
  CHECK(core.comm_up());
  CHECK(events(a, EventKind::kCommUp).size() == 1);
  auto st = sends_of_type(a, "status");
  REQUIRE(st.size() == 2);
  CHECK(st[1].message.get_or("st", "") == "active");
}

TEST_CASE("comm up: comes up when the only peer is first heard, and status active goes out",
          "[core][status]") {
  auto config = make_config();
  Core core(config, CoreParams{1, 1, 1});
  core.start(t0());
  CHECK_FALSE(core.comm_up());
  auto a = core.on_message(messages::decode(status_msg(PeerMsg{})), "eth0", t0() + 300ms);
  CHECK(log_texts(a) == std::vector<std::string>{"Link node2:eth0 up.",
                                                 "Status update for node node2: status up",
                                                 "Comm_now_up(): updating status to active",
                                                 "Local status now set to: 'active'"});
  CHECK(core.comm_up());
  auto st = sends_of_type(a, "status");
  REQUIRE(st.size() == 1);
  CHECK(st[0].message.get_or("st", "") == "active");
}

TEST_CASE(
    "comm up: a peer's non-status packet is not enough; comm comes up with its status, "
    "after its kNodeUp",
    "[core][status]") {
  // A peer's first packet may be a `resource` report: comm up then would
  // tell the ownership module "no peer alive" and it would act alone.
  auto config = make_config();
  Core core(config, CoreParams{1, 1, 1});
  core.start(t0());
  auto a = core.on_message(messages::decode(typed_msg(PeerMsg{"node2", 5, 1}, "resource")), "eth0",
                           t0() + 100ms);
  CHECK_FALSE(core.comm_up());
  CHECK(events(a, EventKind::kCommUp).empty());
  auto b =
      core.on_message(messages::decode(status_msg(PeerMsg{"node2", 6, 1})), "eth0", t0() + 200ms);
  CHECK(core.comm_up());
  std::vector<EventKind> kinds;
  for (const auto& action : b)
    if (const auto* e = std::get_if<MembershipEvent>(&action))
      if (e->kind == EventKind::kNodeUp || e->kind == EventKind::kCommUp) kinds.push_back(e->kind);
  CHECK(kinds == std::vector<EventKind>{EventKind::kNodeUp, EventKind::kCommUp});
}

TEST_CASE("comm up: waits initdead for a silent peer, declares it dead, then comes up",
          "[core][status]") {
  auto config = make_config();
  Core core(config, CoreParams{1, 1, 1});
  core.start(t0());
  auto a = run_until(core, t0() + 20s);  // initdead: not yet (strictly later)
  CHECK_FALSE(core.comm_up());
  CHECK_FALSE(has_log(a, "node node2: is dead"));
  auto b = run_until(core, t0() + 20s + 1ms);
  CHECK(log_texts(b) == std::vector<std::string>{"node node2: is dead",
                                                 "Comm_now_up(): updating status to active",
                                                 "Local status now set to: 'active'"});
  CHECK(core.comm_up());
}

TEST_CASE("comm up: needs every peer of a three-node cluster", "[core][status]") {
  auto config = make_config({"node1", "node2", "node3"});
  Core core(config, CoreParams{1, 1, 1});
  core.start(t0());
  core.on_message(messages::decode(status_msg(PeerMsg{"node2", 5, 1})), "eth0", t0() + 100ms);
  CHECK_FALSE(core.comm_up());
  core.on_message(messages::decode(status_msg(PeerMsg{"node3", 9, 1})), "eth0", t0() + 200ms);
  CHECK(core.comm_up());
}

TEST_CASE("next_deadline: the next status send when nothing else is pending", "[core][status]") {
  auto config = make_config({"node1"});
  Core core(config, CoreParams{1, 1, 1});
  CHECK_FALSE(core.next_deadline().has_value());
  core.start(t0());
  REQUIRE(core.next_deadline().has_value());
  CHECK(*core.next_deadline() == t0() + 1s);
}
