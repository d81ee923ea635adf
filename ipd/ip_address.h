// An IPv4 or IPv6 address as a value, with the subnet arithmetic ipd needs
// to resolve a haresources IP entry (heartbeat-compat.md §3.1: which
// interface's subnet holds the VIP, the subnet's broadcast address).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::ipd {

enum class Family { kIPv4, kIPv6 };

using MacAddress = std::array<std::uint8_t, 6>;

// "00:11:22:aa:bb:cc" (lower case).
std::string mac_to_string(const MacAddress& mac);

class IpAddress {
 public:
  // 0.0.0.0
  IpAddress() = default;

  static IpAddress v4(const std::array<std::uint8_t, 4>& bytes);
  static IpAddress v6(const std::array<std::uint8_t, 16>& bytes);
  // From `size` bytes in network order: 4 → IPv4, 16 → IPv6, else nullopt.
  static std::optional<IpAddress> from_bytes(const std::uint8_t* data, std::size_t size);
  // A literal as inet_pton reads it ("10.0.0.5", "2001:db8::10"); no
  // prefix, no scope. nullopt when it is neither.
  static std::optional<IpAddress> parse(std::string_view text);

  Family family() const { return family_; }
  bool is_v4() const { return family_ == Family::kIPv4; }
  // 32 or 128.
  int bits() const { return is_v4() ? 32 : 128; }
  // 4 or 16 bytes, network order.
  std::size_t size() const { return is_v4() ? 4 : 16; }
  const std::uint8_t* data() const { return bytes_.data(); }

  // The first and the last address of the subnet of `prefix_len` bits that
  // holds this address. prefix_len is clamped to [0, bits()].
  IpAddress network(int prefix_len) const;
  IpAddress last_in_subnet(int prefix_len) const;
  // True when `other` has the same family and lies in this address's
  // subnet of `prefix_len` bits.
  bool same_subnet(const IpAddress& other, int prefix_len) const;

  std::string to_string() const;

  friend bool operator==(const IpAddress& a, const IpAddress& b) {
    return a.family_ == b.family_ && a.bytes_ == b.bytes_;
  }

 private:
  Family family_ = Family::kIPv4;
  std::array<std::uint8_t, 16> bytes_{};  // IPv4 uses the first 4
};

}  // namespace vigil::ipd
