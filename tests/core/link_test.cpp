// Link state per (node, medium) (heartbeat-compat.md §5.1, §5.7, §6.1).
#include <catch2/catch.hpp>

#include "tests/core/core_fixture.h"

using namespace vigil;
using namespace vigil::core;
using namespace vigil::core::testing;

namespace {

bool link_up(const Core& core, const std::string& node, const std::string& link) {
  const auto snap = core.snapshot();
  for (const auto& l : snap.node(node)->links)
    if (l.name == link) return l.up;
  return false;
}

MonoTime link_heard(const Core& core, const std::string& node, const std::string& link) {
  const auto snap = core.snapshot();
  for (const auto& l : snap.node(node)->links)
    if (l.name == link) return l.last_heard;
  return MonoTime{};
}

}  // namespace

TEST_CASE("link: the first packet on an interface brings the link up", "[core][link]") {
  TwoNodes t;
  auto a = t.peer_status(1s, "eth1");
  const Log* l = find_log(a, "Link node2:eth1 up.");
  REQUIRE(l != nullptr);
  CHECK(l->priority == log::Priority::kInfo);
  CHECK(l->fields ==
        log::Fields{{"VIGIL_NODE", "node2"}, {"VIGIL_LINK", "eth1"}, {"VIGIL_EVENT", "link-up"}});
  CHECK(events(a, EventKind::kLinkUp).size() == 1);
}

TEST_CASE("link: an interface goes dead while the node lives on through another", "[core][link]") {
  TwoNodes t;
  // Both media carry seq 2; afterwards only eth0 does.
  t.peer_status(1s, "eth0");
  t.core.on_message(messages::decode(status_msg(t.peer)), "eth1", t.now);
  REQUIRE(link_up(t.core, "node2", "eth1"));
  Actions all;
  for (int i = 0; i < 12; ++i) append(all, t.peer_status(1s, "eth0"));
  CHECK(has_log(all, "Link node2:eth1 dead."));
  CHECK_FALSE(has_log(all, "node node2: is dead"));
  CHECK(link_up(t.core, "node2", "eth0"));
  CHECK_FALSE(t.core.snapshot().node("node2")->dead);
}

TEST_CASE("link: a duplicate seq from a second link refreshes that link only", "[core][link]") {
  TwoNodes t;
  t.peer_status(1s, "eth0");
  const MonoTime eth0_heard = link_heard(t.core, "node2", "eth0");
  t.now += 100ms;
  auto a = t.core.on_message(messages::decode(status_msg(t.peer)), "eth1",
                             t.now);  // same seq, other medium
  CHECK(has_log(a, "Link node2:eth1 up."));
  CHECK(link_heard(t.core, "node2", "eth1") == t.now);
  CHECK(link_heard(t.core, "node2", "eth0") == eth0_heard);
  // The duplicate is not a new status: liveness and status are untouched.
  CHECK(t.core.snapshot().node("node2")->last_status == eth0_heard);
}

TEST_CASE("link: a copy of a packet that link already carried refreshes nothing", "[core][link]") {
  TwoNodes t;
  t.peer_status(1s, "eth0");
  const auto before = t.core.snapshot();
  auto a = t.core.on_message(messages::decode(status_msg(t.peer)), "eth0", t.now + 500ms);
  CHECK(t.core.snapshot().same_state(before));
  CHECK(log_texts(a).empty());
}

TEST_CASE("link: our own looped-back packets bring our own link up", "[core][link]") {
  TwoNodes t;
  auto a =
      t.core.on_message(messages::decode(status_msg(PeerMsg{"node1", 0x200, 1})), "eth0", t.now);
  CHECK(has_log(a, "Link node1:eth0 up."));
}

TEST_CASE("link: our own packets from another generation are ignored", "[core][link]") {
  TwoNodes t;
  auto a =
      t.core.on_message(messages::decode(status_msg(PeerMsg{"node1", 0x1ff, 1})), "eth0", t.now);
  CHECK(log_texts(a).empty());
  CHECK(t.core.snapshot().node("node1")->links.empty());
}
