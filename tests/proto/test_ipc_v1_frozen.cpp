// IPC version 1 is frozen (common/ipc/frame_format.md, "Versions and
// upgrades"): heartbeatd and its helpers of different releases talk during
// an upgrade only because every version-1 message keeps its bytes. One of
// each message, encoded, must match ipc_v1.golden byte for byte. If this
// fails you changed a vocabulary: bump kFrameVersion, write the restart
// the new version needs (packaging/tools/restart-after-upgrade), and start
// an ipc_v2.golden; never edit ipc_v1.golden.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "common/ipc/frame_format.h"
#include "common/proto/ipd_messages.h"
#include "common/proto/resourced_messages.h"

using namespace vigil;
namespace pi = vigil::proto::ipd;
namespace pr = vigil::proto::resourced;

namespace {

const std::string kHash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

std::string hex(const vigil::Result<ipc::Bytes>& bytes) {
  REQUIRE(bytes.ok());
  std::string out;
  for (std::uint8_t b : *bytes) out += fmt::format("{:02x}", b);
  return out;
}

// "<vocabulary> <message>: <hex of the whole frame>", one line each.
std::string encoded_now() {
  std::vector<std::pair<std::string, std::string>> lines = {
      {"ipd Hello", hex(pi::encode(proto::Hello{kHash, 15000}))},
      {"ipd Lease", hex(pi::encode(proto::Lease{2500}))},
      {"ipd AddVip", hex(pi::encode(pi::AddVip{7, kHash, {2, 1}}))},
      {"ipd RemoveVip", hex(pi::encode(pi::RemoveVip{8, kHash, {0, 3}}))},
      {"ipd ListVips", hex(pi::encode(pi::ListVips{9}))},
      {"ipd Result", hex(pi::encode(pi::Result{10, pi::Outcome::kRefused, "no"}))},
      {"ipd VipList", hex(pi::encode(pi::VipList{11, {{{0, 0}, true}, {{1, 2}, false}}}))},
      {"ipd Event", hex(pi::encode(pi::Event{pi::EventKind::kLinkDown, {0, 0}, "eth1"}))},
      {"resourced Hello", hex(pr::encode(proto::Hello{kHash, 15000}))},
      {"resourced Lease", hex(pr::encode(proto::Lease{2500}))},
      {"resourced Request", hex(pr::encode(pr::Request{1, kHash, {0, 1}, pr::Op::kStart}))},
      {"resourced Reply", hex(pr::encode(pr::Reply{1, pr::Op::kStop, pr::Outcome::kTimeout,
                                                   pr::RunState::kStopped, -9, 20000, "tail"}))},
  };
  std::string out;
  for (const auto& [name, bytes] : lines) out += name + ": " + bytes + "\n";
  return out;
}

}  // namespace

TEST_CASE("ipc v1: every message of both helper vocabularies keeps its bytes") {
  REQUIRE(ipc::kFrameVersion == 1);
  std::ifstream golden(VIGIL_IPC_V1_GOLDEN);
  REQUIRE(golden.good());
  std::stringstream expected;
  expected << golden.rdbuf();
  CHECK(encoded_now() == expected.str());
}
