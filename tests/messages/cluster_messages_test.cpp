// The typed cluster messages (heartbeatd/messages/cluster_messages.h):
// every message of the real heartbeat 3.0.6 captures decodes to its type
// and encodes back to the same fields, and each type vigil sends has its
// fields in heartbeat's order.
#include "heartbeatd/messages/cluster_messages.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "heartbeatd/wire/codec.h"
#include "heartbeatd/wire/verify.h"
#include "wire_test_support.h"

using namespace vigil;
using namespace vigil::messages;

namespace {

// The fields add_control_fields and the encoders add (§5.4).
const std::set<std::string> kControlFields = {"destuuid", "src", "srcuuid", "seq", "hg",
                                              "ts",       "ld",  "ttl",     "auth"};

wire::Message without_control_fields(const wire::Message& m) {
  wire::Message out;
  for (const auto& f : m.fields())
    if (!kControlFields.contains(f.name)) out.fields().push_back(f);
  return out;
}

std::vector<wire::Message> verified_messages() {
  std::vector<wire::Message> out;
  const std::pair<const char*, conf::AuthKeys> runs[] = {
      {test::kCapture01, test::capture01_keys()},
      {test::kCapture02, test::capture02_keys()},
      {test::kCapture03, test::capture02_keys()}};
  for (const auto& [file, keys] : runs) {
    for (const auto& datagram : test::capture(file)) {
      auto decoded = wire::decode(datagram.payload);
      REQUIRE(decoded.ok());
      auto verified = wire::verify(*decoded, keys);
      REQUIRE(verified.ok());
      out.push_back(verified->message);
    }
  }
  return out;
}

wire::Message fields(std::initializer_list<std::pair<std::string, std::string>> list) {
  wire::Message m;
  for (const auto& [name, value] : list) m.set(name, value);
  return m;
}

}  // namespace

TEST_CASE("captures: every message decodes to a known type and encodes back to its fields",
          "[messages][captures]") {
  std::map<std::string, int> types;
  for (const auto& m : verified_messages()) {
    const ClusterMessage c = decode(m);
    INFO("type " << c.header.type);
    CHECK_FALSE(std::holds_alternative<Unknown>(c.body));
    CHECK(type_of(c.body) == c.header.type);
    CHECK(encode(c.body, c.header.dest.value_or("")) == without_control_fields(m));
    ++types[c.header.type];
  }
  // Every type heartbeat sent in the three scenarios (captures/README.md).
  const std::set<std::string> expected = {"status",    "starting",        "resource",
                                          "shutdone",  "ip-request-resp", "stonith",
                                          "NS_ackmsg", "ask_resources"};
  std::set<std::string> seen;
  for (const auto& [type, count] : types) seen.insert(type);
  CHECK(seen == expected);
}

TEST_CASE("captures: the header carries src, seq, hg and dest as sent", "[messages][captures]") {
  int with_dest = 0;
  for (const auto& m : verified_messages()) {
    const Header h = decode(m).header;
    REQUIRE(h.src.has_value());
    CHECK(*h.src == *m.get("src"));
    CHECK(h.has_generation);
    CHECK(h.generation.has_value());
    CHECK(h.seq.has_value() == !h.unsequenced());
    if (h.dest) ++with_dest;
  }
  CHECK(with_dest > 0);
}

TEST_CASE("status: st and dt are read, a status word shape is enforced", "[messages]") {
  auto s = std::get<messages::Status>(
      decode(fields({{"t", "status"}, {"st", "up"}, {"dt", "2710"}})).body);
  CHECK(s.st == "up");
  CHECK(s.deadtime_ms == 10000u);
  CHECK_FALSE(s.protocol.has_value());

  auto bad = std::get<messages::Status>(
      decode(fields({{"t", "status"}, {"st", "up\nfake log line"}, {"dt", "0"}})).body);
  CHECK_FALSE(bad.st.has_value());
  CHECK_FALSE(bad.deadtime_ms.has_value());
  auto huge =
      std::get<messages::Status>(decode(fields({{"t", "status"}, {"dt", "100000000"}})).body);
  CHECK_FALSE(huge.deadtime_ms.has_value());
}

TEST_CASE("status: encodes t, st, dt in heartbeat's order, dt in lowercase hex", "[messages]") {
  messages::Status s;
  s.st = "active";
  s.deadtime_ms = 12000;
  CHECK(encode(s) == fields({{"t", "status"}, {"st", "active"}, {"dt", "2ee0"}}));
}

TEST_CASE("starting: vigil=1 marks a vigil sender", "[messages]") {
  CHECK(encode(Starting{true}) == fields({{"t", "starting"}, {"vigil", "1"}}));
  CHECK(std::get<Starting>(decode(fields({{"t", "starting"}, {"vigil", "1"}})).body).vigil);
  CHECK_FALSE(std::get<Starting>(decode(fields({{"t", "starting"}})).body).vigil);
}

TEST_CASE("resource: the full report and the mach_down report keep their field sets",
          "[messages]") {
  Resource full;
  full.rsc_hold = "local";
  full.full = true;
  full.isstable = false;
  full.info = "standby";
  full.vigil = true;
  CHECK(encode(full) == fields({{"t", "resource"},
                                {"rsc_hold", "local"},
                                {"rtype", "full"},
                                {"isstable", "0"},
                                {"info", "standby"},
                                {"vigil", "1"}}));
  Resource mach_down;
  mach_down.rsc_hold = "foreign";
  mach_down.info = "mach_down";
  const wire::Message m = encode(mach_down);
  CHECK(m == fields({{"t", "resource"}, {"rsc_hold", "foreign"}, {"info", "mach_down"}}));
  const auto back = std::get<Resource>(decode(m).body);
  CHECK_FALSE(back.full);
  CHECK_FALSE(back.isstable.has_value());  // says nothing about stability
  CHECK(back.info == "mach_down");
}

TEST_CASE("ask_resources and hb_takeover: rsc_hold and info; hb_takeover defaults to all",
          "[messages]") {
  CHECK(encode(AskResources{"foreign", "me"}) ==
        fields({{"t", "ask_resources"}, {"rsc_hold", "foreign"}, {"info", "me"}}));
  CHECK(encode(HbTakeover{"local"}) == fields({{"t", "hb_takeover"}, {"rsc_hold", "local"}}));
  CHECK(std::get<HbTakeover>(decode(fields({{"t", "hb_takeover"}})).body).rsc_hold == "all");
}

TEST_CASE("ip-request and ip-request-resp: dest right after t, weown and ok as words",
          "[messages]") {
  CHECK(encode(IpRequest{"10.0.0.5"}) == fields({{"t", "ip-request"}, {"ipaddr", "10.0.0.5"}}));
  const wire::Message resp = encode(IpRequestResp{"10.0.0.5", true, true}, "node1");
  CHECK(resp == fields({{"t", "ip-request-resp"},
                        {"dest", "node1"},
                        {"ipaddr", "10.0.0.5"},
                        {"weown", "yes"},
                        {"ok", "OK"}}));
  const ClusterMessage back = decode(resp);
  CHECK(back.header.dest == "node1");
  const auto r = std::get<IpRequestResp>(back.body);
  CHECK(r.weown);
  CHECK(r.ok);
  CHECK_FALSE(
      std::get<IpRequestResp>(decode(fields({{"t", "ip-request-resp"}, {"ok", "ok"}})).body).ok);
}

TEST_CASE("shutdone, stonith, repnodes: their fields in order", "[messages]") {
  CHECK(encode(Shutdone{"dead"}) == fields({{"t", "shutdone"}, {"st", "dead"}}));
  CHECK(encode(Stonith{"node2", "unneeded"}) ==
        fields({{"t", "stonith"}, {"node", "node2"}, {"result", "unneeded"}}));
  CHECK(encode(RepNodes{"node1 node2 ", " "}, "node2") == fields({{"t", "repnodes"},
                                                                  {"dest", "node2"},
                                                                  {"nodelist", "node1 node2 "},
                                                                  {"delnodelist", " "}}));
  CHECK(std::holds_alternative<ReqNodes>(decode(fields({{"t", "reqnodes"}})).body));
}

TEST_CASE("NS_rexmit counts in decimal, NS_nak_rexmit and NS_ackmsg in hex", "[messages]") {
  const wire::Message rexmit = encode(RexmitRequest{16, 17}, "node2");
  CHECK(rexmit ==
        fields({{"t", "NS_rexmit"}, {"dest", "node2"}, {"firstseq", "16"}, {"lastseq", "17"}}));
  const auto r = std::get<RexmitRequest>(decode(rexmit).body);
  CHECK(r.firstseq == 16u);
  CHECK(r.lastseq == 17u);

  const wire::Message nak = encode(NakRexmit{26, "seqno too low"}, "node2");
  CHECK(nak == fields({{"t", "NS_nak_rexmit"},
                       {"dest", "node2"},
                       {"firstseq", "1a"},
                       {"info", "seqno too low"}}));
  CHECK(std::get<NakRexmit>(decode(nak).body).firstseq == 26u);
  CHECK(std::get<AckMsg>(decode(fields({{"t", "NS_ackmsg"}, {"ackseq", "1f"}})).body).ackseq ==
        31u);
}

TEST_CASE("header: hg absent (heartbeat 1.x) and hg malformed are told apart", "[messages]") {
  const Header old = decode(fields({{"t", "status"}, {"src", "node2"}, {"seq", "5"}})).header;
  CHECK_FALSE(old.has_generation);
  CHECK(old.seq == 5u);
  const Header bad = decode(fields({{"t", "status"}, {"hg", "0x10"}, {"seq", "-1"}})).header;
  CHECK(bad.has_generation);
  CHECK_FALSE(bad.generation.has_value());
  CHECK_FALSE(bad.seq.has_value());
  CHECK_FALSE(bad.src.has_value());
}

TEST_CASE("NS_st: a ping node's status reads st and info, and encodes in heartbeat's order",
          "[messages]") {
  const ClusterMessage c = decode(fields(
      {{"t", "NS_st"}, {"st", "ping"}, {"info", "ping_group"}, {"src", "grp"}, {"ts", "1"}}));
  const auto* p = std::get_if<PingStatus>(&c.body);
  REQUIRE(p != nullptr);
  CHECK(p->st == "ping");
  CHECK(p->info == "ping_group");
  CHECK(c.header.unsequenced());
  CHECK(encode(c.body) == fields({{"t", "NS_st"}, {"st", "ping"}, {"info", "ping_group"}}));
  const ClusterMessage bad = decode(fields({{"t", "NS_st"}, {"st", "pi ng"}}));
  CHECK_FALSE(std::get<PingStatus>(bad.body).st.has_value());
}

TEST_CASE("an unknown type is kept by name only and never sent", "[messages]") {
  const ClusterMessage c = decode(fields({{"t", "num_ping_nodes_x"}, {"src", "ping1"}}));
  CHECK(std::holds_alternative<Unknown>(c.body));
  CHECK(c.header.type == "num_ping_nodes_x");
  CHECK(type_of(c.body).empty());
  CHECK(encode(c.body).fields().empty());
}

TEST_CASE("ipfail's messages round-trip with heartbeat's field names (§8.2)", "[messages]") {
  const ClusterMessage n =
      decode(fields({{"t", "num_ping_nodes"}, {"dest", "node1"}, {"num_ping", "2"}}));
  REQUIRE(std::holds_alternative<NumPingNodes>(n.body));
  CHECK(std::get<NumPingNodes>(n.body).num_ping == 2u);
  CHECK(encode(n.body, "node1") ==
        fields({{"t", "num_ping_nodes"}, {"dest", "node1"}, {"num_ping", "2"}}));
  CHECK_FALSE(
      std::get<NumPingNodes>(decode(fields({{"t", "num_ping_nodes"}, {"num_ping", "x"}})).body)
          .num_ping.has_value());

  CHECK(std::holds_alternative<YouAreDead>(decode(fields({{"t", "you_are_dead"}})).body));
  CHECK(encode(YouAreDead{}, "node2") == fields({{"t", "you_are_dead"}, {"dest", "node2"}}));
  CHECK(std::holds_alternative<AbortGiveup>(decode(fields({{"t", "abort_giveup"}})).body));
  CHECK(encode(AbortGiveup{}) == fields({{"t", "abort_giveup"}}));

  const ClusterMessage j =
      decode(fields({{"t", "hbapi-clstat"}, {"st", "join"}, {"from_id", "ipfail"}}));
  REQUIRE(std::holds_alternative<ApiClientStatus>(j.body));
  CHECK(std::get<ApiClientStatus>(j.body).st == "join");
  CHECK(std::get<ApiClientStatus>(j.body).from_id == "ipfail");
  CHECK(encode(j.body) == fields({{"t", "hbapi-clstat"}, {"st", "join"}, {"from_id", "ipfail"}}));
}
