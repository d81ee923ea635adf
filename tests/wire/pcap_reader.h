// Reads the UDP payloads out of a classic libpcap file (not pcapng):
// Ethernet link type, IPv4, UDP — the shape of the heartbeat captures in
// captures/. Test-only; anything else in the file is an error, so a
// fixture that silently yields nothing cannot make a test pass.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace vigil::test {

struct UdpDatagram {
  std::uint16_t source_port = 0;
  std::uint16_t destination_port = 0;
  std::string payload;
};

Result<std::vector<UdpDatagram>> read_pcap_udp(const std::string& path);

}  // namespace vigil::test
