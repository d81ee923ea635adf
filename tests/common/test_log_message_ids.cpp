// The MESSAGE_ID table (common/log_message_ids.h) against the journal
// catalog the packages install (packaging/journal/vigil.catalog) and the
// list in vigil(7): same kinds, same ids, both ways. And log::write adding
// the id to the events it logs.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "common/log.h"
#include "common/log_message_ids.h"

using namespace vigil;
using namespace vigil::log;

namespace {

std::string read_source_file(const std::string& relative) {
  std::ifstream in(std::string(VIGIL_SOURCE_ROOT) + "/" + relative);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool is_message_id(const std::string& s) {
  return s.size() == 32 && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
         });
}

// VIGIL_EVENT -> MESSAGE_ID as the catalog says: each entry starts with
// "-- <id>" and names its kind on one "VIGIL_EVENT=" line of its text.
struct Catalog {
  std::map<std::string, std::string> ids;
  std::vector<std::string> problems;
};

Catalog parse_catalog(const std::string& text) {
  Catalog c;
  std::istringstream lines(text);
  std::string line;
  std::string id;
  int events_in_entry = 0;
  auto close_entry = [&] {
    if (!id.empty() && events_in_entry != 1)
      c.problems.push_back("entry " + id + " has " + std::to_string(events_in_entry) +
                           " VIGIL_EVENT lines");
  };
  while (std::getline(lines, line)) {
    if (line.rfind("-- ", 0) == 0) {
      close_entry();
      id = line.substr(3);
      events_in_entry = 0;
      if (!is_message_id(id)) c.problems.push_back("bad id: " + id);
    } else if (line.rfind("VIGIL_EVENT=", 0) == 0 && !id.empty()) {
      ++events_in_entry;
      if (!c.ids.emplace(line.substr(12), id).second)
        c.problems.push_back("kind listed twice: " + line.substr(12));
    }
  }
  close_entry();
  return c;
}

std::map<std::string, std::string> table() {
  std::map<std::string, std::string> t;
  for (const MessageKind& k : message_kinds())
    t.emplace(std::string(k.event), std::string(k.message_id));
  return t;
}

// The ".B kind" / id pairs of vigil(7)'s JOURNAL FIELDS section.
std::map<std::string, std::string> parse_man_page(const std::string& text) {
  std::map<std::string, std::string> pairs;
  std::istringstream lines(text);
  std::string line;
  std::string kind;
  while (std::getline(lines, line)) {
    if (!kind.empty() && is_message_id(line)) pairs.emplace(kind, line);
    kind = line.rfind(".B ", 0) == 0 ? line.substr(3) : "";
  }
  return pairs;
}

std::string message_id_of(const CapturedEvent& e) {
  for (const auto& [name, value] : e.fields)
    if (name == "MESSAGE_ID") return value;
  return "";
}

struct IdentReset {
  explicit IdentReset(const std::string& ident) {
    LogConfig c;
    c.ident = ident;
    c.force_backend = Backend::kNone;
    REQUIRE(init(c));
  }
  ~IdentReset() {
    LogConfig quiet;
    quiet.force_backend = Backend::kStderr;
    (void)init(quiet);
  }
};

}  // namespace

TEST_CASE("message ids: every catalog entry names one event kind, each kind once") {
  const Catalog c = parse_catalog(read_source_file("packaging/journal/vigil.catalog"));
  CHECK(c.problems == std::vector<std::string>{});
  CHECK(c.ids.size() >= 14);
}

TEST_CASE("message ids: the table lists exactly the catalog's kinds with the catalog's ids") {
  const Catalog c = parse_catalog(read_source_file("packaging/journal/vigil.catalog"));
  CHECK(table() == c.ids);
  CHECK(table().size() == message_kinds().size());  // no kind twice in the table
}

TEST_CASE("message ids: vigil(7) lists the same kinds and ids") {
  CHECK(parse_man_page(read_source_file("packaging/man/vigil.7")) == table());
}

TEST_CASE("message ids: ids are 128-bit lowercase hex and unique") {
  std::set<std::string_view> seen;
  for (const MessageKind& k : message_kinds()) {
    CHECK(is_message_id(std::string(k.message_id)));
    CHECK(seen.insert(k.message_id).second);
  }
}

TEST_CASE("message ids: the issue's main event kinds all have an id") {
  for (const char* kind :
       {"daemon-started", "daemon-stopping", "node-dead", "node-status", "link-dead", "link-up",
        "group-acquire", "group-release", "standby-request", "takeover", "late-heartbeat",
        "auth-failed", "config-error", "lease-expired"}) {
    INFO(kind);
    CHECK(message_id_for(kind, "heartbeat").has_value());
  }
}

TEST_CASE("message ids: a kind limited to one daemon has no id when another logs it") {
  // ipd logs kernel interfaces going up as "link-up"; the catalog's link-up
  // is a heartbeat link of a peer.
  CHECK(message_id_for("link-up", "heartbeat") == "84b9fd5d6e5b468daeb8dffbb8215907");
  CHECK_FALSE(message_id_for("link-up", "ipd").has_value());
  CHECK(message_id_for("lease-expired", "ipd") == message_id_for("lease-expired", "resourced"));
  CHECK_FALSE(message_id_for("no-such-kind", "heartbeat").has_value());
}

TEST_CASE("log::write adds the MESSAGE_ID of a catalogued VIGIL_EVENT") {
  IdentReset ident("heartbeat");
  ScopedCapture capture;
  warn("node node2: is dead", {{"VIGIL_NODE", "node2"}, {"VIGIL_EVENT", "node-dead"}});
  REQUIRE(capture.events().size() == 1);
  CHECK(message_id_of(capture.events()[0]) == "75097c7698bc489d91369c21d5fadbb9");
  CHECK(capture.events()[0].fields.size() == 3);
}

TEST_CASE("log::write adds no MESSAGE_ID to an event kind the catalog does not list") {
  IdentReset ident("heartbeat");
  ScopedCapture capture;
  info("No pkts missing from node2!", {{"VIGIL_EVENT", "gaps-filled"}});
  info("no event kind at all");
  REQUIRE(capture.events().size() == 2);
  CHECK(message_id_of(capture.events()[0]).empty());
  CHECK(message_id_of(capture.events()[1]).empty());
}

TEST_CASE("log::write keeps a MESSAGE_ID the caller set") {
  IdentReset ident("heartbeat");
  ScopedCapture capture;
  info("x", {{"MESSAGE_ID", "00112233445566778899aabbccddeeff"}, {"VIGIL_EVENT", "node-dead"}});
  REQUIRE(capture.events().size() == 1);
  const auto& fields = capture.events()[0].fields;
  CHECK(std::count_if(fields.begin(), fields.end(),
                      [](const auto& f) { return f.first == "MESSAGE_ID"; }) == 1);
  CHECK(message_id_of(capture.events()[0]) == "00112233445566778899aabbccddeeff");
}
