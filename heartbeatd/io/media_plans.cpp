#include "heartbeatd/io/media_plans.h"

namespace vigil::io {

std::uint16_t medium_port(const conf::Medium& m, std::uint16_t udpport) {
  return m.port != 0 ? m.port : udpport;
}

bool is_udp_medium(conf::MediumKind kind) {
  using K = conf::MediumKind;
  return kind == K::kBcast || kind == K::kUcast || kind == K::kMcast || kind == K::kUcast6 ||
         kind == K::kMcast6;
}

}  // namespace vigil::io
