// Agent lookup (heartbeat-compat.md §3.2) and vigil's ocf:/systemd: forms.
#include <catch2/catch.hpp>

#include "conf/config.h"
#include "fake_file_system.h"
#include "resourced/agent.h"
#include "resourced/heartbeat_leftovers.h"
#include "resourced/heartbeat_wrappers.h"
#include "temp_tree.h"

using namespace vigil;
using namespace vigil::resourced;
using vigil::resourced::testing::FakeFileSystem;
using vigil::resourced::testing::TempTree;

namespace {

conf::Resource resource(std::string name, std::vector<std::string> args = {}) {
  conf::Resource r;
  r.name = std::move(name);
  r.args = std::move(args);
  r.text = r.name;
  for (const auto& a : r.args) r.text += "::" + a;
  return r;
}

AgentDirs dirs() {
  AgentDirs d;
  d.resource_d = "/ha/resource.d";
  d.init_d = "/ha/init.d";
  d.ocf_root = "/ocf";
  d.systemctl = "/bin/systemctl";
  return d;
}

}  // namespace

TEST_CASE("lookup: a script in resource.d is found there, with its :: arguments") {
  FakeFileSystem fs;
  fs.executable("/ha/resource.d/Filesystem");
  auto call =
      resolve_agent(resource("Filesystem", {"/dev/drbd0", "/data", "ext3"}), "grp", dirs(), fs);
  REQUIRE(call.ok());
  CHECK(call->kind == AgentKind::kHeartbeat);
  CHECK(call->path == "/ha/resource.d/Filesystem");
  CHECK(call->args == std::vector<std::string>{"/dev/drbd0", "/data", "ext3"});
  CHECK(call->resource == "Filesystem::/dev/drbd0::/data::ext3");
  CHECK(call->group == "grp");
}

TEST_CASE("lookup: resource.d is searched before init.d") {
  FakeFileSystem fs;
  fs.executable("/ha/resource.d/httpd").executable("/ha/init.d/httpd");
  auto call = resolve_agent(resource("httpd"), "g", dirs(), fs);
  REQUIRE(call.ok());
  CHECK(call->path == "/ha/resource.d/httpd");
  CHECK(call->kind == AgentKind::kHeartbeat);
}

TEST_CASE("lookup: a script only in init.d is run from there as an LSB script") {
  FakeFileSystem fs;
  fs.executable("/ha/init.d/httpd");
  auto call = resolve_agent(resource("httpd"), "g", dirs(), fs);
  REQUIRE(call.ok());
  CHECK(call->path == "/ha/init.d/httpd");
  CHECK(call->kind == AgentKind::kLsb);
}

TEST_CASE("lookup: a missing script is heartbeat's \"Cannot locate resource script\"") {
  FakeFileSystem fs;
  auto call = resolve_agent(resource("nosuch", {"x"}), "g", dirs(), fs);
  REQUIRE_FALSE(call.ok());
  CHECK(call.error().message == "Cannot locate resource script nosuch");
}

TEST_CASE("lookup: a name with a slash never leaves the agent directories") {
  FakeFileSystem fs;
  fs.executable("/ha/resource.d/../../bin/sh").executable("/bin/sh");
  for (const char* name : {"../../bin/sh", "/bin/sh", "..", "."}) {
    INFO(name);
    CHECK_FALSE(resolve_agent(resource(name), "g", dirs(), fs).ok());
  }
}

TEST_CASE("lookup: on a real tree a non-executable file in resource.d is passed over for init.d") {
  TempTree t;
  t.file("resource.d/svc", "#!/bin/sh\n", 0644);
  t.script("init.d/svc", "exit 0\n");
  AgentDirs d = dirs();
  d.resource_d = t.path("resource.d");
  d.init_d = t.path("init.d");
  auto call = resolve_agent(resource("svc"), "g", d, RealFileSystem());
  REQUIRE(call.ok());
  CHECK(call->path == t.path("init.d/svc"));
}

TEST_CASE("lookup: on a real tree a directory or a non-executable file is no script") {
  TempTree t;
  t.mkdir("resource.d/svc");
  t.file("init.d/svc", "#!/bin/sh\n", 0644);
  AgentDirs d = dirs();
  d.resource_d = t.path("resource.d");
  d.init_d = t.path("init.d");
  auto call = resolve_agent(resource("svc"), "g", d, RealFileSystem());
  REQUIRE_FALSE(call.ok());
  CHECK(call.error().message == "Cannot locate resource script svc");
}

TEST_CASE("lookup: default directories are CONFIG_DIR/resource.d, /etc/init.d and /usr/lib/ocf") {
  const AgentDirs d = default_agent_dirs("/etc/ha.d");
  CHECK(d.resource_d == "/etc/ha.d/resource.d");
  CHECK(d.init_d == "/etc/init.d");
  CHECK(d.ocf_root == "/usr/lib/ocf");
}

TEST_CASE("ocf: ocf:PROVIDER:TYPE resolves under OCF_ROOT/resource.d with KEY=VALUE parameters") {
  FakeFileSystem fs;
  fs.executable("/ocf/resource.d/heartbeat/Dummy");
  auto call = resolve_agent(resource("ocf:heartbeat:Dummy", {"state=/run/x", "fake=a=b", "empty="}),
                            "g", dirs(), fs);
  REQUIRE(call.ok());
  CHECK(call->kind == AgentKind::kOcf);
  CHECK(call->path == "/ocf/resource.d/heartbeat/Dummy");
  CHECK(call->ocf_provider == "heartbeat");
  CHECK(call->ocf_type == "Dummy");
  using P = std::pair<std::string, std::string>;
  CHECK(call->ocf_params == std::vector<P>{{"state", "/run/x"}, {"fake", "a=b"}, {"empty", ""}});
  CHECK(call->ocf_instance == "ocf_heartbeat_Dummy__state__run_x__fake_a_b__empty_");
}

TEST_CASE("ocf: a missing agent is \"Cannot locate resource script\"") {
  FakeFileSystem fs;
  auto call = resolve_agent(resource("ocf:heartbeat:Nope"), "g", dirs(), fs);
  REQUIRE_FALSE(call.ok());
  CHECK(call.error().message == "Cannot locate resource script ocf:heartbeat:Nope");
}

TEST_CASE("ocf: malformed tokens are refused with the expected form") {
  FakeFileSystem fs;
  fs.executable("/ocf/resource.d/heartbeat/Dummy");
  const std::vector<conf::Resource> bad = {
      resource("ocf:Dummy"),
      resource("ocf:heartbeat:"),
      resource("ocf::Dummy"),
      resource("ocf:heart/beat:Dummy"),
      resource("ocf:heartbeat:Dummy:x"),
      resource("ocf:..:Dummy"),
      resource("ocf:heartbeat:Dummy", {"novalue"}),
      resource("ocf:heartbeat:Dummy", {"1key=v"}),
      resource("ocf:heartbeat:Dummy", {"bad-key=v"}),
      resource("ocf:heartbeat:Dummy", {"=v"}),
  };
  for (const auto& r : bad) {
    INFO(r.text);
    auto call = resolve_agent(r, "g", dirs(), fs);
    CHECK_FALSE(call.ok());
  }
}

TEST_CASE("ocf: the instance name keeps only characters safe in a file name") {
  CHECK(ocf_instance_name("ocf:heartbeat:Dummy") == "ocf_heartbeat_Dummy");
  CHECK(ocf_instance_name("a.b-c_D9") == "a.b-c_D9");
  CHECK(ocf_instance_name("x/../y z") == "x_.._y_z");
}

TEST_CASE("systemd: systemd:NAME resolves to NAME.service run through systemctl") {
  FakeFileSystem fs;
  auto call = resolve_agent(resource("systemd:nginx"), "g", dirs(), fs);
  REQUIRE(call.ok());
  CHECK(call->kind == AgentKind::kSystemd);
  CHECK(call->unit == "nginx.service");
  CHECK(call->path == "/bin/systemctl");
}

TEST_CASE("systemd: a unit name with a suffix is kept as written") {
  FakeFileSystem fs;
  auto call = resolve_agent(resource("systemd:getty@tty1.service"), "g", dirs(), fs);
  REQUIRE(call.ok());
  CHECK(call->unit == "getty@tty1.service");
  auto mount = resolve_agent(resource("systemd:data.mount"), "g", dirs(), fs);
  REQUIRE(mount.ok());
  CHECK(mount->unit == "data.mount");
}

TEST_CASE("systemd: arguments, option-like and odd unit names are refused") {
  FakeFileSystem fs;
  for (const auto& r : {resource("systemd:nginx", {"x"}), resource("systemd:"),
                        resource("systemd:-x"), resource("systemd:a*b"), resource("systemd:a/b")}) {
    INFO(r.text);
    CHECK_FALSE(resolve_agent(r, "g", dirs(), fs).ok());
  }
}

// ---- heartbeat's resource.d wrappers, built in (heartbeat_wrappers.h) ----

TEST_CASE(
    "wrappers: Filesystem without a resource.d script runs the OCF agent with the wrapper's "
    "parameters") {
  FakeFileSystem fs;
  fs.executable("/ocf/resource.d/heartbeat/Filesystem");
  auto call =
      resolve_agent(resource("Filesystem", {"/dev/drbd0", "/data", "ext4"}), "g", dirs(), fs);
  REQUIRE(call.ok());
  CHECK(call->kind == AgentKind::kOcf);
  CHECK(call->heartbeat_wrapper == "Filesystem");
  CHECK(call->path == "/ocf/resource.d/heartbeat/Filesystem");
  CHECK(call->ocf_provider == "heartbeat");
  CHECK(call->ocf_type == "Filesystem");
  CHECK(call->ocf_params ==
        OcfParams{{"device", "/dev/drbd0"}, {"directory", "/data"}, {"fstype", "ext4"}});
}

TEST_CASE("wrappers: a user's own resource.d script of the same name wins over the mapping") {
  FakeFileSystem fs;
  fs.executable("/ocf/resource.d/heartbeat/MailTo").executable("/ha/resource.d/MailTo");
  auto call = resolve_agent(resource("MailTo", {"root@example.org"}), "g", dirs(), fs);
  REQUIRE(call.ok());
  CHECK(call->kind == AgentKind::kHeartbeat);
  CHECK(call->path == "/ha/resource.d/MailTo");
  CHECK(call->heartbeat_wrapper.empty());
}

TEST_CASE(
    "wrappers: heartbeat's own wrapper left in resource.d by apt remove resolves as after a "
    "purge") {
  const HeartbeatWrapper* w = find_heartbeat_wrapper("MailTo");
  REQUIRE(w != nullptr);
  FakeFileSystem removed, purged;
  removed.executable("/ocf/resource.d/heartbeat/MailTo")
      .executable_with_hash("/ha/resource.d/MailTo", std::string(w->sha256));
  purged.executable("/ocf/resource.d/heartbeat/MailTo");
  auto a = resolve_agent(resource("MailTo", {"root@example.org", "Subject"}), "g", dirs(), removed);
  auto b = resolve_agent(resource("MailTo", {"root@example.org", "Subject"}), "g", dirs(), purged);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->kind == AgentKind::kOcf);
  CHECK(a->path == b->path);
  CHECK(a->ocf_params == b->ocf_params);
  CHECK(a->ocf_params == OcfParams{{"email", "root@example.org"}, {"subject", "Subject"}});
}

TEST_CASE(
    "wrappers: the mapping comes before init.d, where heartbeat's wrapper in resource.d came") {
  FakeFileSystem fs;
  fs.executable("/ocf/resource.d/heartbeat/apache").executable("/ha/init.d/apache");
  auto call = resolve_agent(resource("apache"), "g", dirs(), fs);
  REQUIRE(call.ok());
  CHECK(call->kind == AgentKind::kOcf);
}

TEST_CASE("wrappers: without resource-agents' agent the resource resolves to nothing, saying why") {
  FakeFileSystem fs;
  auto call = resolve_agent(resource("Filesystem", {"/dev/sdb1", "/srv"}), "g", dirs(), fs);
  REQUIRE_FALSE(call.ok());
  CHECK_THAT(call.error().message, Catch::StartsWith("Cannot locate resource script Filesystem: "));
  CHECK_THAT(call.error().message, Catch::Contains("resource-agents"));
}

TEST_CASE("wrappers: arguments the wrapper refuses are an error with its usage") {
  FakeFileSystem fs;
  fs.executable("/ocf/resource.d/heartbeat/Filesystem");
  auto call = resolve_agent(resource("Filesystem", {"/dev/sdb1"}), "g", dirs(), fs);
  REQUIRE_FALSE(call.ok());
  CHECK_THAT(call.error().message, Catch::Contains("2 to 4 arguments needed, 1 given"));
  CHECK_THAT(call.error().message,
             Catch::Contains("Filesystem::DEVICE::DIRECTORY[::FSTYPE[::OPTIONS]]"));
}

TEST_CASE(
    "wrappers: empty :: fields are dropped, as ResourceManager's unquoted expansion drops them") {
  FakeFileSystem fs;
  fs.executable("/ocf/resource.d/heartbeat/Filesystem").executable("/ha/resource.d/mine");
  auto call = resolve_agent(resource("Filesystem", {"/dev/sdb1", "", "/srv"}), "g", dirs(), fs);
  REQUIRE(call.ok());
  CHECK(call->ocf_params == OcfParams{{"device", "/dev/sdb1"}, {"directory", "/srv"}});
  auto mine = resolve_agent(resource("mine", {"a", "", "b"}), "g", dirs(), fs);
  REQUIRE(mine.ok());
  CHECK(mine->args == std::vector<std::string>{"a", "b"});
}

TEST_CASE("wrappers: WAS takes an existing file as its configuration, digits as its port") {
  FakeFileSystem fs;
  fs.executable("/ocf/resource.d/heartbeat/WAS").regular("/etc/was.conf");
  auto file = resolve_agent(resource("WAS", {"/etc/was.conf"}), "g", dirs(), fs);
  auto port = resolve_agent(resource("WAS", {"9080"}), "g", dirs(), fs);
  REQUIRE(file.ok());
  REQUIRE(port.ok());
  CHECK(file->ocf_params == OcfParams{{"config", "/etc/was.conf"}});
  CHECK(port->ocf_params == OcfParams{{"port", "9080"}});
  CHECK_FALSE(resolve_agent(resource("WAS", {"/etc/none.conf"}), "g", dirs(), fs).ok());
}

TEST_CASE(
    "wrappers: drbddisk is drbd-utils', never mapped; missing, the warning says where it comes "
    "from") {
  CHECK(find_heartbeat_wrapper("drbddisk") == nullptr);
  FakeFileSystem fs;
  auto call = resolve_agent(resource("drbddisk", {"r0"}), "g", dirs(), fs);
  REQUIRE_FALSE(call.ok());
  CHECK_THAT(call.error().message, Catch::Contains("drbd-utils"));
  fs.executable("/ha/resource.d/drbddisk");
  auto found = resolve_agent(resource("drbddisk", {"r0"}), "g", dirs(), fs);
  REQUIRE(found.ok());
  CHECK(found->path == "/ha/resource.d/drbddisk");
}

TEST_CASE("wrappers: every wrapper heartbeat 3.0.6 shipped outside the IP ones has an entry") {
  for (const char* name : {"AudibleAlarm", "Delay", "Filesystem", "ICP", "IPsrcaddr", "LVM",
                           "LinuxSCSI", "MailTo", "OCF", "Raid1", "SendArp", "ServeRAID", "WAS",
                           "WinPopup", "Xinetd", "apache", "db2", "ids", "portblock"}) {
    INFO(name);
    const HeartbeatWrapper* w = find_heartbeat_wrapper(name);
    REQUIRE(w != nullptr);
    CHECK(w->sha256.size() == 64);
  }
}

TEST_CASE("leftovers: check-config tells a removed heartbeat package from a purged one") {
  const HeartbeatWrapper* w = find_heartbeat_wrapper("Filesystem");
  FakeFileSystem removed;
  removed.regular("/ha/resource.d/hto-mapfuncs")
      .executable_with_hash("/ha/resource.d/Filesystem", std::string(w->sha256))
      .executable("/ha/resource.d/apache");
  const HeartbeatLeftovers r = survey_heartbeat_leftovers("/ha/resource.d", removed);
  CHECK(r.hto_mapfuncs);
  CHECK(r.wrappers == std::vector<std::string>{"Filesystem"});
  CHECK(r.edited == std::vector<std::string>{"apache"});
  CHECK_THAT(describe_heartbeat_leftovers(r, "/ha/resource.d"),
             Catch::Contains("removed heartbeat package"));
  const HeartbeatLeftovers p = survey_heartbeat_leftovers("/ha/resource.d", FakeFileSystem());
  CHECK_FALSE(p.hto_mapfuncs);
  CHECK(p.wrappers.empty());
  CHECK_THAT(describe_heartbeat_leftovers(p, "/ha/resource.d"),
             Catch::Contains("purged or never installed"));
}

TEST_CASE(
    "leftovers: a user's script sourcing hto-mapfuncs is warned about, more sharply once purged") {
  FakeFileSystem fs;
  fs.executable("/ha/resource.d/IProute")
      .mentioning("/ha/resource.d/IProute", ". /etc/ha.d/resource.d//hto-mapfuncs");
  fs.executable("/ha/resource.d/plain");
  auto iproute = resolve_agent(resource("IProute", {"10.0.0.1"}), "g", dirs(), fs);
  auto plain = resolve_agent(resource("plain"), "g", dirs(), fs);
  REQUIRE(iproute.ok());
  REQUIRE(plain.ok());
  const auto removed = hto_mapfuncs_warning(*iproute, true, fs);
  const auto purged = hto_mapfuncs_warning(*iproute, false, fs);
  REQUIRE(removed);
  REQUIRE(purged);
  CHECK_THAT(*removed, Catch::Contains("apt purge heartbeat"));
  CHECK_THAT(*purged, Catch::Contains("it will fail"));
  CHECK_FALSE(hto_mapfuncs_warning(*plain, false, fs));
}
