#include "conf/respawn_role.h"

namespace vigil::conf {

std::string_view respawn_program(std::string_view command) {
  return command.substr(0, command.find_first_of(" \t"));
}

RespawnRole respawn_role(std::string_view command) {
  const std::string_view program = respawn_program(command);
  if (program.ends_with("heartbeat/ipfail")) return RespawnRole::kHeartbeatIpfail;
  const std::size_t slash = program.rfind('/');
  const std::string_view base =
      slash == std::string_view::npos ? program : program.substr(slash + 1);
  if (base == "dopd") return RespawnRole::kDrbdDopd;
  return RespawnRole::kProgram;
}

std::string respawn_not_run_warning(RespawnRole role, std::string_view program) {
  const std::string p(program);
  switch (role) {
    case RespawnRole::kHeartbeatIpfail:
      // vigil's engine runs ipfail's algorithm itself (§8.2,
      // heartbeatd/engine/ipfail.h): the line means what it always meant.
      break;
    case RespawnRole::kDrbdDopd:
      return "respawn " + p +
             ": DRBD's dopd is a client of heartbeat's API, which vigil does not serve; vigil "
             "does not run it, and needs none: in the DRBD resource use vigil's handler, "
             "`fence-peer "
             "\"/usr/libexec/vigil/drbd-fence-peer -t 5\";`, which has the peer outdate its "
             "drbddisk::RESOURCE over vigil's own links (vigil-migration(7))";
    case RespawnRole::kProgram:
      break;
  }
  return {};
}

bool ipfail_requested(const HaCf& cf) {
  for (const auto& r : cf.respawn)
    if (respawn_role(r.command) == RespawnRole::kHeartbeatIpfail) return true;
  return false;
}

std::vector<std::uint16_t> respawn_entries_to_run(const HaCf& cf) {
  std::vector<std::uint16_t> out;
  for (std::size_t i = 0; i < cf.respawn.size(); ++i)
    if (respawn_role(cf.respawn[i].command) == RespawnRole::kProgram)
      out.push_back(static_cast<std::uint16_t>(i));
  return out;
}

}  // namespace vigil::conf
