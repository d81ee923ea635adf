#include "heartbeatd/state/node_uuid.h"

#include <sodium.h>

#include <algorithm>
#include <string>

namespace vigil::state {

Result<NodeUuid> load_or_create_node_uuid(StateEnv& env) {
  auto existing = env.read_file(kUuidFile);
  if (!existing) return existing.error();
  NodeUuid uuid{};
  if (*existing) {
    const std::string& bytes = **existing;
    if (bytes.size() != uuid.size())
      return Error{"state file 'uuid' has " + std::to_string(bytes.size()) +
                   " bytes, expected 16; move it away to make a new node identity"};
    std::copy(bytes.begin(), bytes.end(), uuid.begin());
    return uuid;
  }
  if (sodium_init() < 0) return Error{"libsodium cannot be initialised"};
  randombytes_buf(uuid.data(), uuid.size());
  // The version and variant bits make it a well-formed random UUID, which
  // is what heartbeat's uuid_generate() produced; 122 bits stay random.
  uuid[6] = static_cast<std::uint8_t>((uuid[6] & 0x0F) | 0x40);
  uuid[8] = static_cast<std::uint8_t>((uuid[8] & 0x3F) | 0x80);
  if (Status st = env.write_durable(
          kUuidFile, std::string_view(reinterpret_cast<const char*>(uuid.data()), uuid.size()));
      !st)
    return st.error();
  return uuid;
}

}  // namespace vigil::state
