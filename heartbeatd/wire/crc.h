// heartbeat's `crc` authentication method (heartbeat-compat.md §4.3):
// CRC-32 with the POSIX cksum parameters but without cksum's length suffix —
// polynomial 0x04C11DB7, MSB first (no reflection), initial value 0, final
// XOR 0xFFFFFFFF. It detects corruption; it authenticates nothing, since
// anyone can compute it.
#pragma once

#include <cstdint>
#include <string_view>

namespace vigil::wire {

std::uint32_t crc32_posix(std::string_view data);

}  // namespace vigil::wire
