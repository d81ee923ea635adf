// conf/fence_agent.h and the fence_agent half of conf/fence_devices.h
// (issue 14): vigil.cf's `fence_agent NODE AGENT [KEY=VALUE...]` lines,
// what the agent reads on stdin, and how they combine with ha.cf's
// STONITH devices.
#include <catch2/catch.hpp>

#include "conf/fence_devices.h"
#include "conf/vigil_cf.h"

using namespace vigil::conf;

namespace {

FenceAgent parsed(std::string_view value) {
  FenceAgent a;
  const std::string expected = parse_fence_agent(value, a);
  INFO(expected);
  REQUIRE(expected.empty());
  return a;
}

std::string refusal(std::string_view value) {
  FenceAgent a;
  return parse_fence_agent(value, a);
}

Config two_nodes(const std::string& local) {
  Config c;
  c.local_node = local;
  c.ha_cf.nodes = {"node1", "node2"};
  return c;
}

}  // namespace

TEST_CASE("fence agent: node, agent and options in order; the node in lower case") {
  const FenceAgent a = parsed("NODE1 fence_ipmilan ip=10.0.0.9 username=admin password=s3cr=t");
  CHECK(a.node == "node1");
  CHECK(a.agent == "fence_ipmilan");
  using O = std::vector<std::pair<std::string, std::string>>;
  CHECK(a.options == O{{"ip", "10.0.0.9"}, {"username", "admin"}, {"password", "s3cr=t"}});
  CHECK(parsed("node2 fence_virsh").options.empty());
}

TEST_CASE("fence agent: stdin is action=reboot, then every option, one per line") {
  CHECK(fence_agent_stdin(parsed("node1 fence_ipmilan ip=10.0.0.9 lanplus=1 passwd=x")) ==
        "action=reboot\nip=10.0.0.9\nlanplus=1\npasswd=x\n");
  // action=off replaces the default and is written once, first.
  const FenceAgent off = parsed("node1 fence_virsh plug=vm1 action=off ip=host");
  CHECK(fence_agent_action(off) == "off");
  CHECK(fence_agent_stdin(off) == "action=off\nplug=vm1\nip=host\n");
}

TEST_CASE("fence agent: passwords are shown as (hidden), other options as written") {
  const FenceAgent a =
      parsed("node1 fence_ipmilan ip=10.0.0.9 passwd=pw1 password=pw2 snmp_priv_passwd=pw3");
  CHECK(show_fence_agent(a) ==
        "node1 fence_ipmilan ip=10.0.0.9 passwd=(hidden) password=(hidden) "
        "snmp_priv_passwd=(hidden)");
  CHECK(fence_option_secret("passwd_script"));  // a path, hidden all the same: the rule is by key
  CHECK_FALSE(fence_option_secret("login"));
}

TEST_CASE("fence agent: refusals name the field") {
  CHECK_THAT(refusal("node1"), Catch::Contains("expected `fence_agent NODE AGENT"));
  CHECK_THAT(refusal("node1 /usr/sbin/fence_ipmilan"), Catch::Contains("agent [/usr/sbin/"));
  CHECK_THAT(refusal("node1 ipmilan"), Catch::Contains("fence_[a-z0-9_]+"));
  CHECK_THAT(refusal("node1 fence_"), Catch::Contains("agent [fence_]"));
  CHECK_THAT(refusal("node1 fence_IPMI"), Catch::Contains("agent [fence_IPMI]"));
  CHECK_THAT(refusal("node1 fence_ipmilan ip"),
             Catch::Contains("option 1 [ip]: expected KEY=VALUE"));
  CHECK_THAT(refusal("node1 fence_ipmilan ip="), Catch::Contains("option 1 [ip=]"));
  CHECK_THAT(refusal("node1 fence_ipmilan ip=a Ip=b"), Catch::Contains("option 2 [Ip=b]"));
  CHECK_THAT(refusal("node1 fence_ipmilan ip=a =b"), Catch::Contains("option 2 [=b]"));
  CHECK_THAT(refusal("node1 fence_ipmilan ip=a ip=b"), Catch::Contains("option ip given twice"));
  CHECK_THAT(refusal("node1 fence_ipmilan action=on"),
             Catch::Contains("option action [on]: expected reboot (the default) or off"));
  CHECK_THAT(refusal("node1 fence_ipmilan verbose=1"), Catch::Contains("option verbose: refused"));
  CHECK_THAT(refusal("node1 fence_ipmilan debug_file=/tmp/x"),
             Catch::Contains("option debug_file: refused"));
  // A malformed password option is named without its value.
  const std::string pw = refusal("node1 fence_ipmilan passwd-x=hunter2");
  CHECK_THAT(pw, Catch::Contains("option 1 [passwd-x=(hidden)]"));
  CHECK(pw.find("hunter2") == std::string::npos);
}

TEST_CASE("vigil.cf: fence_agent is repeatable, keeps its line, and errors never show a value") {
  Diagnostics diag;
  const VigilCf cf = parse_vigil_cf(
      "ipfail on\n"
      "fence_agent node1 fence_ipmilan ip=10.0.0.9 passwd=pw\n"
      "\n"
      "fence_agent node1 fence_virsh ip=host plug=vm1 # second way\n"
      "fence_agent node2 fence_ipmilan passwd=hunter2 action=on\n",
      "vigil.cf", diag);
  REQUIRE(cf.fence_agents.size() == 2);
  CHECK(cf.fence_agents[0].line == 2);
  CHECK(cf.fence_agents[1].line == 4);
  CHECK(cf.fence_agents[1].options.back() == std::pair<std::string, std::string>{"plug", "vm1"});
  REQUIRE(diag.errors().size() == 1);
  CHECK_THAT(diag.errors()[0], Catch::StartsWith("vigil.cf:5: bad fence_agent line; "
                                                 "option action [on]"));
  CHECK(diag.errors()[0].find("hunter2") == std::string::npos);
  const std::string printed = print_vigil_cf(cf);
  CHECK_THAT(printed, Catch::Contains("fence_agent node1 fence_ipmilan ip=10.0.0.9 "
                                      "passwd=(hidden)\nfence_agent node1 fence_virsh"));
  CHECK(print_vigil_cf(VigilCf{}).find("fence_agent (none)\n") != std::string::npos);
}

TEST_CASE("fence agents: a node's lines take the place of ha.cf's devices, for that node only") {
  Config c = two_nodes("node2");
  c.ha_cf.stonith_host = {"* external/ipmi 10.0.0.9"};
  CHECK(first_fence_method(c, "node1") == "external/ipmi");
  c.vigil_cf.fence_agents = {parsed("node1 fence_ipmilan ip=10.0.0.8"),
                             parsed("node1 fence_virsh ip=h plug=vm1"),
                             parsed("node2 fence_ipmilan ip=10.0.0.9")};
  CHECK(first_fence_method(c, "node1") == "fence_ipmilan");
  REQUIRE(fence_agents_for(c, "node1").size() == 2);
  CHECK(fence_agents_for(c, "node1")[1].agent == "fence_virsh");
  CHECK(fences_any_peer(c));
  Config none = two_nodes("node2");
  CHECK(first_fence_method(none, "node1").empty());
  CHECK_FALSE(fences_any_peer(none));
  // Only a line for ourselves: nobody here fences anybody.
  none.vigil_cf.fence_agents = {parsed("node2 fence_ipmilan ip=10.0.0.9")};
  CHECK_FALSE(fences_any_peer(none));
}

TEST_CASE("fence agents: a node not in ha.cf is an error at its line; overlap with ha.cf warns") {
  Config c = two_nodes("node2");
  c.ha_cf.stonith_host = {"* external/ipmi 10.0.0.9"};
  FenceAgent stray = parsed("node3 fence_ipmilan ip=x");
  stray.line = 7;
  FenceAgent ours = parsed("node1 fence_ipmilan ip=y");
  ours.line = 8;
  FenceAgent self = parsed("node2 fence_ipmilan ip=z");
  self.line = 9;
  c.vigil_cf.fence_agents = {stray, ours, ours, self};
  Diagnostics diag;
  check_fence_agents(c, "/etc/ha.d/vigil.cf", diag);
  REQUIRE(diag.errors().size() == 1);
  CHECK(diag.errors()[0] ==
        "/etc/ha.d/vigil.cf:7: fence_agent node [node3] is not a node of ha.cf; expected one of: "
        "node1, node2");
  // Once per node, and not for the line naming this node (it is the peer's).
  REQUIRE(diag.warnings().size() == 1);
  CHECK_THAT(diag.warnings()[0], Catch::StartsWith("/etc/ha.d/vigil.cf:8: fence_agent lines "
                                                   "fence node1: ha.cf's stonith/stonith_host "
                                                   "devices are NOT used for node1"));
  Diagnostics quiet;
  c.ha_cf.stonith_host.clear();
  c.vigil_cf.fence_agents = {ours};
  check_fence_agents(c, "vigil.cf", quiet);
  CHECK(quiet.errors().empty());
  CHECK(quiet.warnings().empty());
}
