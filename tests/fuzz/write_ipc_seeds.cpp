// Writes the seed corpus of fuzz_ipc (corpus/ipc/): one valid encoded
// message of every type of every vocabulary, each prefixed with the byte
// that makes fuzz_ipc pick its vocabulary; and, given a second directory,
// fuzz_control's (corpus/control/): conversations a control client could
// have, each datagram as fuzz_control reads it (2-byte big-endian length,
// then the bytes). Run by make_corpus.py; the output is checked in.
#include <cstdio>
#include <string>
#include <vector>

#include "common/proto/control_messages.h"
#include "common/proto/ipd_messages.h"
#include "common/proto/resourced_messages.h"

namespace {

using namespace vigil;

const std::string kHash(proto::kConfigHashLength, 'a');

template <class Message, class Encode>
int write_all(const char* dir, int selector, const char* name, const std::vector<Message>& messages,
              Encode encode) {
  int n = 0;
  for (const auto& m : messages) {
    auto bytes = encode(m);
    if (!bytes) {
      std::fprintf(stderr, "%s seed %d: %s\n", name, n, bytes.error().message.c_str());
      return 1;
    }
    const std::string path = std::string(dir) + "/" + name + "-" + std::to_string(n++);
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) return 1;
    std::fputc(selector, f);
    std::fwrite(bytes->data(), 1, bytes->size(), f);
    std::fclose(f);
  }
  return 0;
}

// One fuzz_control input: `messages` sent in order on one connection.
int write_conversation(const std::string& path,
                       const std::vector<proto::control::Message>& messages) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 1;
  for (const auto& m : messages) {
    auto bytes = proto::control::encode(m);
    if (!bytes) {
      std::fclose(f);
      return 1;
    }
    std::fputc(static_cast<int>(bytes->size() >> 8), f);
    std::fputc(static_cast<int>(bytes->size() & 0xFF), f);
    std::fwrite(bytes->data(), 1, bytes->size(), f);
  }
  std::fclose(f);
  return 0;
}

// What vigilctl, cl_status, hb_standby and hb_takeover send, alone and
// in a row, and a reply sent the wrong way (refused).
int write_control_conversations(const char* dir, const proto::control::StatusReply& status) {
  namespace ctl = proto::control;
  std::vector<std::vector<ctl::Message>> conversations = {
      {ctl::StatusRequest{}},
      {ctl::StatusRequest{}, ctl::StatusRequest{}, ctl::StatusRequest{}},
      {ctl::StatusRequest{}, ctl::Standby{ctl::ResourceClass::kAll}},
      {status},
      {ctl::CommandReply{true, ""}, ctl::StatusRequest{}},
  };
  for (auto cls : {ctl::ResourceClass::kAll, ctl::ResourceClass::kForeign,
                   ctl::ResourceClass::kLocal, ctl::ResourceClass::kFailback}) {
    conversations.push_back({ctl::Standby{cls}});
    conversations.push_back({ctl::Takeover{cls}});
  }
  int bad = 0;
  for (std::size_t i = 0; i < conversations.size(); ++i)
    bad |= write_conversation(std::string(dir) + "/control-" + std::to_string(i), conversations[i]);
  return bad;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::fprintf(stderr, "usage: write_ipc_seeds IPC_DIR [CONTROL_DIR]\n");
    return 2;
  }
  namespace ipd = proto::ipd;
  namespace rsc = proto::resourced;
  namespace ctl = proto::control;
  const proto::ResourcePlace place{1, 0};
  int bad = 0;
  bad |= write_all<ipd::Message>(
      argv[1], 0, "ipd",
      {proto::Hello{kHash, 5000}, proto::Lease{250}, ipd::AddVip{7, kHash, place},
       ipd::RemoveVip{8, kHash, place}, ipd::ListVips{9},
       ipd::Result{7, ipd::Outcome::kRefused, "place 1/0 is not an IP entry"},
       ipd::VipList{9, {{place, true}, {{2, 1}, false}}},
       ipd::Event{ipd::EventKind::kLinkDown, {}, "eth1"}},
      [](const ipd::Message& m) { return ipd::encode(m); });
  bad |= write_all<rsc::Message>(
      argv[1], 1, "resourced",
      {proto::Hello{kHash, 5000}, proto::Lease{250}, rsc::Request{3, kHash, place, rsc::Op::kStart},
       rsc::Reply{3, rsc::Op::kStart, rsc::Outcome::kOk, rsc::RunState::kRunning, 0, 120,
                  "Starting httpd: ok\n"}},
      [](const rsc::Message& m) { return rsc::encode(m); });
  ctl::StatusReply status;
  status.local_node = "node1";
  status.local_status = ctl::NodeStatus::kActive;
  status.resource_management = true;
  status.rscstatus = ctl::RscStatus::kLocal;
  status.nodes = {{"node1", ctl::NodeType::kNormal, ctl::NodeStatus::kActive, {{"eth1", true}}, ""},
                  {"node2", ctl::NodeType::kNormal, ctl::NodeStatus::kDead, {{"eth1", false}}, ""}};
  status.groups = {{"192.0.2.5", "node1", "node1", ctl::GroupState::kRunning}};
  status.counters = {100, 1, 2, 3, 4, 5, 6, 7};
  status.bad_packet_sources = {{"192.0.2.99", 1, 2, 0}};
  bad |= write_all<ctl::Message>(
      argv[1], 2, "control",
      {ctl::StatusRequest{}, ctl::Standby{ctl::ResourceClass::kForeign},
       ctl::Takeover{ctl::ResourceClass::kFailback}, status,
       ctl::CommandReply{true, "standby: giving foreign resources to node2"}},
      [](const ctl::Message& m) { return ctl::encode(m); });
  if (argc == 3) bad |= write_control_conversations(argv[2], status);
  return bad;
}
