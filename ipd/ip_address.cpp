#include "ipd/ip_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdio>

namespace vigil::ipd {

std::string mac_to_string(const MacAddress& mac) {
  char text[18];
  std::snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
                mac[4], mac[5]);
  return text;
}

IpAddress IpAddress::v4(const std::array<std::uint8_t, 4>& bytes) {
  IpAddress a;
  a.family_ = Family::kIPv4;
  std::copy(bytes.begin(), bytes.end(), a.bytes_.begin());
  return a;
}

IpAddress IpAddress::v6(const std::array<std::uint8_t, 16>& bytes) {
  IpAddress a;
  a.family_ = Family::kIPv6;
  a.bytes_ = bytes;
  return a;
}

std::optional<IpAddress> IpAddress::from_bytes(const std::uint8_t* data, std::size_t size) {
  if (size != 4 && size != 16) return std::nullopt;
  IpAddress a;
  a.family_ = size == 4 ? Family::kIPv4 : Family::kIPv6;
  std::copy(data, data + size, a.bytes_.begin());
  return a;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  // inet_pton needs a terminated string; 45 characters is INET6_ADDRSTRLEN - 1.
  if (text.empty() || text.size() > 45) return std::nullopt;
  const std::string s(text);
  std::array<std::uint8_t, 16> buf{};
  if (s.find(':') == std::string::npos) {
    if (inet_pton(AF_INET, s.c_str(), buf.data()) != 1) return std::nullopt;
    return from_bytes(buf.data(), 4);
  }
  if (inet_pton(AF_INET6, s.c_str(), buf.data()) != 1) return std::nullopt;
  return from_bytes(buf.data(), 16);
}

namespace {

// Keeps the first prefix_len bits; the rest become `fill` bits.
IpAddress masked(const IpAddress& a, int prefix_len, bool fill) {
  std::array<std::uint8_t, 16> out{};
  const int bits = a.bits();
  prefix_len = std::clamp(prefix_len, 0, bits);
  std::copy(a.data(), a.data() + a.size(), out.begin());
  for (int i = 0; i < bits / 8; ++i) {
    const int keep = std::clamp(prefix_len - i * 8, 0, 8);
    const auto host_mask = static_cast<std::uint8_t>(0xffu >> keep);
    auto& byte = out[static_cast<std::size_t>(i)];
    byte = fill ? static_cast<std::uint8_t>(byte | host_mask)
                : static_cast<std::uint8_t>(byte & ~host_mask);
  }
  return *IpAddress::from_bytes(out.data(), a.size());
}

}  // namespace

IpAddress IpAddress::network(int prefix_len) const { return masked(*this, prefix_len, false); }

IpAddress IpAddress::last_in_subnet(int prefix_len) const {
  return masked(*this, prefix_len, true);
}

bool IpAddress::same_subnet(const IpAddress& other, int prefix_len) const {
  return family_ == other.family_ && network(prefix_len) == other.network(prefix_len);
}

std::string IpAddress::to_string() const {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(is_v4() ? AF_INET : AF_INET6, bytes_.data(), text, sizeof text);
  return text;
}

}  // namespace vigil::ipd
