#include "heartbeatd/wire/crc.h"

#include <array>

namespace vigil::wire {

namespace {

constexpr std::uint32_t kPolynomial = 0x04C11DB7;

constexpr std::array<std::uint32_t, 256> make_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t crc = i << 24;
    for (int bit = 0; bit < 8; ++bit)
      crc = (crc & 0x80000000u) ? (crc << 1) ^ kPolynomial : crc << 1;
    table[i] = crc;
  }
  return table;
}

constexpr std::array<std::uint32_t, 256> kTable = make_table();

}  // namespace

std::uint32_t crc32_posix(std::string_view data) {
  std::uint32_t crc = 0;
  for (unsigned char byte : data)
    crc = (crc << 8) ^ kTable[((crc >> 24) ^ byte) & 0xFF];
  return ~crc;
}

}  // namespace vigil::wire
