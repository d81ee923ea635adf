#include "heartbeatd/wire/signature.h"

#include <nettle/hmac.h>
#include <sodium.h>

#include <cinttypes>
#include <cstdio>
#include <cstdint>

#include "heartbeatd/wire/crc.h"

namespace vigil::wire {

namespace {

std::string to_hex(const std::uint8_t* bytes, std::size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();
  return hex;
}

const std::uint8_t* bytes_of(std::string_view s) {
  return reinterpret_cast<const std::uint8_t*>(s.data());
}

std::string hmac_md5(std::string_view key, std::string_view data) {
  hmac_md5_ctx ctx;
  std::uint8_t digest[MD5_DIGEST_SIZE];
  hmac_md5_set_key(&ctx, key.size(), bytes_of(key));
  hmac_md5_update(&ctx, data.size(), bytes_of(data));
  hmac_md5_digest(&ctx, sizeof digest, digest);
  // The context holds the key-derived inner and outer states.
  sodium_memzero(&ctx, sizeof ctx);
  return to_hex(digest, sizeof digest);
}

std::string hmac_sha1(std::string_view key, std::string_view data) {
  hmac_sha1_ctx ctx;
  std::uint8_t digest[SHA1_DIGEST_SIZE];
  hmac_sha1_set_key(&ctx, key.size(), bytes_of(key));
  hmac_sha1_update(&ctx, data.size(), bytes_of(data));
  hmac_sha1_digest(&ctx, sizeof digest, digest);
  sodium_memzero(&ctx, sizeof ctx);
  return to_hex(digest, sizeof digest);
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  // The init/update/final API takes keys of any length; crypto_auth_hmacsha256
  // alone would insist on exactly 32 bytes.
  crypto_auth_hmacsha256_state state;
  std::uint8_t digest[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_init(&state, bytes_of(key), key.size());
  crypto_auth_hmacsha256_update(&state, bytes_of(data), data.size());
  crypto_auth_hmacsha256_final(&state, digest);
  sodium_memzero(&state, sizeof state);
  return to_hex(digest, sizeof digest);
}

std::string crc(std::string_view data) {
  // §4.3: printed with %lx — lowercase, no leading zeros.
  char buf[9];
  std::snprintf(buf, sizeof buf, "%" PRIx32, crc32_posix(data));
  return buf;
}

}  // namespace

std::string compute_signature(conf::AuthMethod method, std::string_view key,
                              std::string_view data) {
  switch (method) {
    case conf::AuthMethod::kCrc:
      return crc(data);
    case conf::AuthMethod::kMd5:
      return hmac_md5(key, data);
    case conf::AuthMethod::kSha1:
      return hmac_sha1(key, data);
    case conf::AuthMethod::kSha256:
      return hmac_sha256(key, data);
  }
  return {};
}

bool signatures_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace vigil::wire
