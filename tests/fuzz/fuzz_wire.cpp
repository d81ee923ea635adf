// libFuzzer target for the wire codec (built only with clang; see
// meson.build). Properties, beyond "never crashes":
//  * whatever decodes and verifies, re-encoded with the key that verified
//    it, decodes and verifies again to the same message;
//  * nothing verifies under the sha1 key unless the fuzzer found a real
//    signature (it cannot), so verification under sha1 must fail for any
//    input that is not one of the seeds.
// The crc key lets the fuzzer reach the verified path: crc is computable.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "heartbeatd/wire/codec.h"
#include "heartbeatd/wire/verify.h"

namespace {

using namespace vigil;

conf::AuthKeys make_keys() {
  conf::AuthKeys keys;
  keys.active_id = 2;
  conf::AuthKey crc;
  crc.id = 2;
  crc.method = conf::AuthMethod::kCrc;
  keys.keys.push_back(crc);
  conf::AuthKey md5;
  md5.id = 3;
  md5.method = conf::AuthMethod::kMd5;
  md5.key = SecretBytes("md5key");
  keys.keys.push_back(md5);
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
