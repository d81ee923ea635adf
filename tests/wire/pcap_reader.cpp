#include "pcap_reader.h"

#include <fstream>
#include <iterator>
#include <string_view>

namespace vigil::test {

namespace {

constexpr std::uint32_t kMagicMicros = 0xa1b2c3d4;
constexpr std::uint32_t kLinkTypeEthernet = 1;
constexpr std::size_t kGlobalHeader = 24;
constexpr std::size_t kRecordHeader = 16;
constexpr std::size_t kEthernetHeader = 14;

std::uint32_t le32(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}

std::uint16_t be16(std::string_view b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) << 8 |
                                    static_cast<unsigned char>(b[at + 1]));
}

Result<UdpDatagram> parse_frame(std::string_view frame) {
  if (frame.size() < kEthernetHeader + 20 || be16(frame, 12) != 0x0800)
    return Error{"frame is not IPv4 over Ethernet"};
  const std::string_view ip = frame.substr(kEthernetHeader);
  const std::size_t ihl = (static_cast<unsigned char>(ip[0]) & 0x0F) * 4u;
  if ((static_cast<unsigned char>(ip[0]) >> 4) != 4 || ihl < 20 || ip[9] != 17 ||
      ip.size() < ihl + 8)
    return Error{"packet is not IPv4/UDP"};
  const std::string_view udp = ip.substr(ihl);
  const std::size_t length = be16(udp, 4);
  if (length < 8 || length > udp.size()) return Error{"bad UDP length"};
  return UdpDatagram{be16(udp, 0), be16(udp, 2), std::string(udp.substr(8, length - 8))};
}

}  // namespace

Result<std::vector<UdpDatagram>> read_pcap_udp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot open " + path};
  const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string_view data(file);
  if (data.size() < kGlobalHeader || le32(data, 0) != kMagicMicros)
    return Error{path + ": not a little-endian classic pcap file"};
  if (le32(data, 20) != kLinkTypeEthernet) return Error{path + ": link type is not Ethernet"};
  std::vector<UdpDatagram> datagrams;
  std::size_t at = kGlobalHeader;
  while (at < data.size()) {
    if (data.size() - at < kRecordHeader) return Error{path + ": truncated record header"};
    const std::uint32_t captured = le32(data, at + 8);
    const std::uint32_t original = le32(data, at + 12);
    at += kRecordHeader;
    if (captured != original || data.size() - at < captured)
      return Error{path + ": truncated packet"};
    auto datagram = parse_frame(data.substr(at, captured));
    if (!datagram) return Error{path + ": " + datagram.error().message};
    datagrams.push_back(std::move(*datagram));
    at += captured;
  }
  return datagrams;
}

}  // namespace vigil::test
