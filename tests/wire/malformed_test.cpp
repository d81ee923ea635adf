// Hostile and broken datagrams: every one is rejected, none crashes
// (heartbeat-compat.md §5.1–§5.3; bounds in heartbeatd/wire/wire_format.h).
#include <catch2/catch.hpp>

#include <random>

#include "heartbeatd/wire/codec.h"
#include "heartbeatd/wire/verify.h"
#include "heartbeatd/wire/wire_format.h"
#include "wire_test_support.h"

using namespace vigil;
using namespace vigil::wire;

namespace {

std::string packet() { return test::from_hex(test::kSection53Vector); }

std::string classic_packet() {
  for (const auto& d : test::capture(test::kCapture02))
    if (d.payload.starts_with(">>>\n")) return d.payload;
  throw std::runtime_error("capture 02 has no classic packet");
}

bool rejected(std::string_view datagram) { return !decode(datagram).ok(); }

// One netstring: "<len>:<payload>,".
std::string ns(std::string_view payload) {
  return std::to_string(payload.size()) + ":" + std::string(payload) + ",";
}

// A netstring datagram with a syntactically fine (unverifiable) trailer.
std::string netstring(std::string_view fields) {
  return "###\n" + std::string(fields) + "%%%\n4:1 ab,";
}

}  // namespace

TEST_CASE("malformed: every truncation of a netstring packet is rejected", "[wire][malformed]") {
  const std::string full = packet();
  for (std::size_t n = 0; n < full.size(); ++n) {
    INFO("length " << n);
    CHECK(rejected(std::string_view(full).substr(0, n)));
  }
}

TEST_CASE("malformed: every truncation of a classic packet before its end line is rejected",
          "[wire][malformed]") {
  const std::string full = classic_packet();
  const std::size_t complete = full.size() - 1;  // without the NUL
  for (std::size_t n = 0; n < complete; ++n) {
    INFO("length " << n);
    CHECK(rejected(std::string_view(full).substr(0, n)));
  }
}

TEST_CASE("malformed: a datagram over 256 KiB is rejected unread", "[wire][malformed]") {
  std::string big = "###\n";
  const std::string value(kMaxDatagramBytes, 'v');
  big += std::to_string(value.size() + 5) + ":(0)x=" + value + ",%%%\n4:1 ab,";
  CHECK(decode(big).error().message.find("larger than") != std::string::npos);
}

TEST_CASE("malformed: more than 256 fields are rejected", "[wire][malformed]") {
  std::string fields;
  std::string lines;
  for (std::size_t i = 0; i < kMaxFields; ++i) {
    fields += "7:(0)a=bc,";
    lines += "a=bc\n";
  }
  CHECK_FALSE(rejected(netstring(fields)));
  CHECK_FALSE(rejected(">>>\n" + lines + "<<<\n"));
  CHECK(rejected(netstring(fields + "7:(0)a=bc,")));
  CHECK(rejected(">>>\n" + lines + "a=bc\n<<<\n"));
}

TEST_CASE("malformed: bad netstring lengths are rejected", "[wire][malformed]") {
  CHECK_FALSE(rejected(netstring("7:(0)t=ab,")));
  for (const char* fields : {"8:(0)t=ab,",  "6:(0)t=ab,", "07:(0)t=ab,", "+7:(0)t=ab,",
                             "-7:(0)t=ab,", "x:(0)t=ab,", ":(0)t=ab,",   " 7:(0)t=ab,",
                             "7(0)t=ab,",   "1000000:(0)t=ab,", "99999999999999999999999:x,",
                             "7:(0)t=ab;",  "0:,"})
    CHECK(rejected(netstring(fields)));
}

TEST_CASE("malformed: bad netstring trailers are rejected", "[wire][malformed]") {
  const std::string body = "###\n7:(0)t=ab,%%%\n";
  CHECK_FALSE(rejected(body + "4:1 ab,"));
  for (const char* trailer : {"", "4:1 ab", "5:1 ab,", "04:1 ab,", "4:1 ab,,", "4:1 ab,x",
                              "4:1 ab,\n"})
    CHECK(rejected(body + trailer));
  CHECK(rejected(body + std::string("4:1 ab,\0", 8)));
}

TEST_CASE("malformed: junk after the netstring trailer is rejected", "[wire][malformed]") {
  CHECK(rejected(packet() + "x"));
  CHECK(rejected(packet() + packet()));
}

TEST_CASE("malformed: a netstring packet without %%% is rejected", "[wire][malformed]") {
  std::string p = packet();
  p.replace(p.find("%%%\n"), 4, "%%%%");
  CHECK(rejected(p));
  CHECK(rejected("###\n7:(0)t=ab,"));
  CHECK(rejected("###\n7:(0)t=ab,4:1 ab,"));
}

TEST_CASE("malformed: bad field syntax is rejected in both encodings", "[wire][malformed]") {
  const std::string long_name(kMaxNameBytes + 1, 'n');
  CHECK_FALSE(rejected(netstring(ns("(0)" + std::string(kMaxNameBytes, 'n') + "=v"))));
  for (const std::string& payload : {std::string("(0)=v"), std::string("(0)tv"),
                                     std::string("(9)t="), std::string("t=ab"),
                                     std::string("(x)t="), std::string("(0"), std::string(""),
                                     "(0)" + long_name + "=v"})
    CHECK(rejected(netstring(ns(payload))));
  for (const std::string& line : {std::string("=v"), std::string("tv"), std::string("(9)t=v"),
                                  std::string(""), long_name + "=v", std::string("(1)b=!!!")})
    CHECK(rejected(">>>\n" + line + "\n<<<\n"));
}

TEST_CASE("malformed: a second auth field is rejected", "[wire][malformed]") {
  CHECK(rejected(">>>\nauth=1 ab\nauth=1 ab\n<<<\n"));
  CHECK(rejected(netstring("14:(0)auth=1 ab,14:(0)auth=1 ab,")));
}

TEST_CASE("malformed: junk after the classic end line is rejected, one NUL is not",
          "[wire][malformed]") {
  CHECK_FALSE(rejected(">>>\nt=x\n<<<\n"));
  CHECK_FALSE(rejected(std::string(">>>\nt=x\n<<<\n\0", 13)));
  CHECK(rejected(std::string(">>>\nt=x\n<<<\n\0\0", 14)));
  CHECK(rejected(">>>\nt=x\n<<<\nx"));
  CHECK(rejected(">>>\nt=x\n<<<"));
  CHECK(rejected(">>>\nt=x\n"));
}

TEST_CASE("malformed: neither >>> nor ### is rejected", "[wire][malformed]") {
  for (const char* d : {"", ">>>", ">>>\r\n", "##\n", "hello", "<<<\n"}) CHECK(rejected(d));
}

TEST_CASE("malformed: random mutations of real packets never crash and never verify",
          "[wire][malformed]") {
  const auto seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  const conf::AuthKeys keys = test::capture01_keys();
  const conf::AuthKeys md5_keys = test::capture02_keys();
  const std::string originals[] = {packet(), classic_packet()};
  for (int i = 0; i < 20000; ++i) {
    const bool classic = i % 2 == 1;
    std::string p = originals[i % 2];
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = rng() % p.size();
      switch (rng() % 4) {
        case 0: p[at] = static_cast<char>(rng()); break;
        case 1: p.erase(at, 1 + rng() % 8); break;
        case 2: p.insert(at, 1, static_cast<char>(rng())); break;
        default: p.insert(at, p.substr(rng() % p.size(), 1 + rng() % 16)); break;
      }
      if (p.empty()) p = "x";
    }
    auto decoded = decode(p);
    if (!decoded) continue;
    auto verified = verify(*decoded, classic ? md5_keys : keys);
    // A mutation that still verifies must be one that changes nothing the
    // signatures cover: none exists for the classic NUL aside.
    if (verified) CHECK((p == originals[i % 2] || p + '\0' == originals[i % 2]));
  }
}
