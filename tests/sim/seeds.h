// How the simulator's test cases read their seed settings from the
// environment (README.md): VIGIL_SIM_SEED, VIGIL_SIM_SEEDS, ...
#pragma once

#include <cstdint>
#include <cstdlib>

namespace vigil::sim {

// The number in environment variable `name`, or `fallback` when unset.
inline std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  return std::strtoull(v, nullptr, 10);
}

}  // namespace vigil::sim
