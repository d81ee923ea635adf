// libFuzzer target for the wire decoder and verifier, both encodings,
// every auth method (heartbeat-compat.md §5.2-§5.5). Properties, beyond
// "never crashes" under ASan/UBSan:
//  * whatever decodes and verifies, re-encoded with the key that verified
//    it, decodes and verifies again to the same message;
//  * the sha1 and md5 keys are those of the real captures (seeds in
//    corpus/wire come from them), so their packets reach the verified path
//    too; the crc key lets mutated packets reach it: crc is computable.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "heartbeatd/wire/codec.h"
#include "heartbeatd/wire/verify.h"

namespace {

using namespace vigil;

// The keys of the captures (tests/wire/captures/README.md): `1 sha1
// testkey`, `2 crc`, `3 md5 md5key`.
conf::AuthKeys make_keys() {
  conf::AuthKeys keys;
  keys.active_id = 2;
  auto add = [&](int id, conf::AuthMethod method, const char* secret) {
    conf::AuthKey key;
    key.id = id;
    key.method = method;
    key.key = SecretBytes(secret);
    keys.keys.push_back(std::move(key));
  };
  add(1, conf::AuthMethod::kSha1, "testkey");
  add(2, conf::AuthMethod::kCrc, "");
  add(3, conf::AuthMethod::kMd5, "md5key");
  return keys;
}

void check_round_trip(const wire::VerifiedMessage& verified, const conf::AuthKeys& keys) {
  const conf::AuthKey& key = *keys.find(verified.key_id);
  for (auto encoded : {wire::encode_netstring(verified.message, key),
                       wire::encode_classic(verified.message, key)}) {
    if (!encoded) continue;  // e.g. an empty value: decodable, not sendable
    auto decoded = wire::decode(*encoded);
    if (!decoded) std::abort();
    auto again = wire::verify(*decoded, keys);
    if (!again || !(again->message == verified.message)) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const conf::AuthKeys keys = make_keys();
  const std::string_view datagram(reinterpret_cast<const char*>(data), size);
  auto decoded = wire::decode(datagram);
  if (!decoded) return 0;
  auto verified = wire::verify(*decoded, keys);
  if (verified) check_round_trip(*verified, keys);
  return 0;
}
