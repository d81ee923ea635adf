// The metrics text against a golden file (metrics/two_nodes.ok), and the
// format's rules on whatever the renderer writes. Regenerate the golden
// file after an intended change with VIGIL_UPDATE_GOLDEN=1 and review the
// diff: names, types, HELP/TYPE lines and labels are an interface.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "heartbeatd/observe/metrics.h"

using namespace vigil;
namespace c = vigil::proto::control;

namespace {

MonoTime at_ms(int ms) { return MonoTime(std::chrono::milliseconds(ms)); }

void log_at(observe::EventTimeline& t, int ms, std::string id, std::string node = {}) {
  core::Log l{log::Priority::kInfo, id, {}};
  if (!node.empty()) l.fields.emplace_back("VIGIL_NODE", node);
  l.fields.emplace_back("VIGIL_EVENT", std::move(id));
  t.record_log(l, at_ms(ms), 1'765'000'000'000'000 + ms * 1000);
}

struct Fixture {
  c::StatusReply status;
  core::Snapshot snapshot;
  observe::EventTimeline timeline;
  std::optional<observe::Failover> last;

  Fixture() {
    status.local_node = "node2";
    status.local_status = c::NodeStatus::kActive;
    status.resource_management = true;
    status.nodes = {{"node1", c::NodeType::kNormal, c::NodeStatus::kDead, {{"eth1", false}}, ""},
                    {"node2", c::NodeType::kNormal, c::NodeStatus::kActive, {{"eth1", true}}, ""}};
    status.groups = {{"192.0.2.5", "node1", "node2", c::GroupState::kRunning},
                     {"say\"hi\\", "node2", "none", c::GroupState::kStopped}};
    status.counters = {1200, 3, 2, 1, 4, 2, 0, 0};
    status.bad_packet_sources = {{"192.0.2.66", 3, 2, 0}};
    core::NodeSnapshot n1;
    n1.name = "node1";
    n1.advertised_deadtime_ms = 500;
    n1.lost_packets = 4;
    n1.rexmit_requests = 2;
    core::NodeSnapshot n2;
    n2.name = "node2";
    n2.local = true;
    snapshot.nodes = {n1, n2};
    snapshot.counters.rexmits_sent = 5;
    log_at(timeline, 100, "late-heartbeat", "node1");
    timeline.record_last_heard("node1", at_ms(1000), at_ms(1500), 1'765'000'001'500'000);
    log_at(timeline, 1500, "node-dead", "node1");
    log_at(timeline, 1501, "takeover", "node1");
    timeline.step_started(1, "192.0.2.5", "start 192.0.2.5", at_ms(1502), 0);
    timeline.step_finished(1, "ok", at_ms(1512), 0);
    timeline.step_started(2, "192.0.2.5", "start httpsvc", at_ms(1513), 0);
    timeline.step_finished(2, "ok", at_ms(1700), 0);
    log_at(timeline, 1750, "mach-down", "node1");
    log_at(timeline, 5000, "standby-given");  // no request: auto_failback
    log_at(timeline, 6000, "standby-taken");
    const std::vector<c::TimelineEvent> events(timeline.events().begin(), timeline.events().end());
    last = observe::last_failover(events);
  }

  std::string render() const {
    observe::MetricsInput in{"1.2.3", status, snapshot, timeline, last, {}};
    in.helpers = {{"ipd", true, 0.25, 0.25}, {"resourced", false, 0.25, 0.1}};
    return observe::render_metrics(in);
  }
};

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("metrics: the text for a two-node cluster after a takeover matches the golden file") {
  const std::string path = std::string(VIGIL_TEST_SOURCE_DIR) + "/metrics/two_nodes.ok";
  const std::string text = Fixture().render();
  if (std::getenv("VIGIL_UPDATE_GOLDEN")) std::ofstream(path) << text;
  CHECK(text == read_file(path));
}

TEST_CASE(
    "metrics: every series has its family's HELP and TYPE first, vigil_ names, counters _total") {
  const std::string text = Fixture().render();
  std::istringstream lines(text);
  std::map<std::string, std::string> types;
  std::string line, help_for;
  const std::regex sample(
      R"(^([a-z_]+)(\{[a-z_]+="(?:[^"\\]|\\.)*"(?:,[a-z_]+="(?:[^"\\]|\\.)*")*\})? [0-9.e+-]+$)");
  while (std::getline(lines, line)) {
    if (line.starts_with("# HELP ")) {
      help_for = line.substr(7, line.find(' ', 7) - 7);
      continue;
    }
    if (line.starts_with("# TYPE ")) {
      std::istringstream t(line.substr(7));
      std::string name, type;
      t >> name >> type;
      CHECK(name == help_for);            // TYPE right after its HELP
      CHECK_FALSE(types.contains(name));  // each family once
      types[name] = type;
      CHECK(name.starts_with("vigil_"));
      CHECK((type == "gauge" || type == "counter"));
      CHECK((type == "counter") == name.ends_with("_total"));
      continue;
    }
    std::smatch m;
    INFO(line);
    REQUIRE(std::regex_match(line, m, sample));
    CHECK(types.contains(m[1].str()));
  }
  CHECK(types.size() >= 20);
}

TEST_CASE("metrics: the last takeover's duration and steps come from the timeline") {
  const std::string text = Fixture().render();
  CHECK(text.find("vigil_last_takeover_duration_seconds{from_node=\"node1\"} 0.75\n") !=
        std::string::npos);
  CHECK(text.find("vigil_last_takeover_step_duration_seconds{group=\"192.0.2.5\",step=\"start "
                  "httpsvc\"} 0.187\n") != std::string::npos);
  CHECK(text.find("vigil_takeovers_total{cause=\"peer_dead\"} 1\n") != std::string::npos);
  CHECK(text.find("vigil_failbacks_total 1\n") != std::string::npos);
}

TEST_CASE("metrics: no takeover yet, no last-takeover family") {
  Fixture f;
  f.last.reset();
  CHECK(f.render().find("vigil_last_takeover") == std::string::npos);
}

TEST_CASE("metrics: label values escape backslash, quote and newline") {
  CHECK(observe::escape_label("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
}

TEST_CASE("metrics: vigil-metrics(7) documents every family the renderer writes") {
  const std::string man =
      read_file(std::string(VIGIL_TEST_SOURCE_DIR) + "/../../packaging/man/vigil-metrics.7");
  REQUIRE_FALSE(man.empty());
  std::istringstream lines(Fixture().render());
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.starts_with("# TYPE ")) continue;
    const std::string name = line.substr(7, line.find(' ', 7) - 7);
    INFO(name);
    const bool documented = man.find(".B " + name + "\n") != std::string::npos ||
                            man.find(".B " + name + " ") != std::string::npos;
    CHECK(documented);
  }
}
