// Shared by the wire tests: the authkeys of the captures (captures/README.md)
// and small helpers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "conf/config.h"
#include "pcap_reader.h"

namespace vigil::test {

inline conf::AuthKey make_key(int id, conf::AuthMethod method, std::string_view secret) {
  conf::AuthKey key;
  key.id = id;
  key.method = method;
  key.key = SecretBytes(secret);
  return key;
}

// Capture 01: `auth 1` / `1 sha1 testkey`.
inline conf::AuthKeys capture01_keys() {
  conf::AuthKeys keys;
  keys.active_id = 1;
  keys.keys.push_back(make_key(1, conf::AuthMethod::kSha1, "testkey"));
  return keys;
}

// Captures 02 and 03: `auth 2` / `2 crc` / `3 md5 md5key`.
inline conf::AuthKeys capture02_keys() {
  conf::AuthKeys keys;
  keys.active_id = 2;
  keys.keys.push_back(make_key(2, conf::AuthMethod::kCrc, ""));
  keys.keys.push_back(make_key(3, conf::AuthMethod::kMd5, "md5key"));
  return keys;
}

inline std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  return out;
}

// Tests run with tests/wire as working directory (meson.build).
inline std::vector<UdpDatagram> capture(const std::string& name) {
  auto datagrams = read_pcap_udp("captures/" + name);
  if (!datagrams) throw std::runtime_error(datagrams.error().message);
  return std::move(*datagrams);
}

inline const char* const kCapture01 = "01-sha1-startup-takeover-shutdown.pcap";
inline const char* const kCapture02 = "02-crc-out-md5-classic-in.pcap";
inline const char* const kCapture03 = "03-crc-autofailback-standby.pcap";

// The real packet of heartbeat-compat.md §5.3 (key `1 sha1 testkey`).
inline const char* const kSection53Vector =
    "2323230a31313a283029743d7374617475732c383a28302973743d75702c31303a28302964743d31"
    "6235382c31333a28302970726f746f636f6c3d312c393a2830297372633d766d2c32373a28312973"
    "7263757569643d1d97b9a7999745f1be27a7015b5141b32c383a2830297365713d322c31343a2830"
    "2968673d36623036313464362c31343a28302974733d36623036313464352c33323a2830296c643d"
    "302e303920302e323120302e313620322f3131392031373230372c383a28302974746c3d332c3530"
    "3a283029617574683d31206563373166303062656136363437393935393637663062383566343639"
    "32363533363937343037632c2525250a34323a312030363066646166643065613330623663323537"
    "3166643634643863653333346630613830643434362c";

}  // namespace vigil::test
