// Key material in libsodium-guarded memory: allocated with sodium_malloc
// (guard pages, canary, mlock'ed where the rlimit allows), kept read-only
// between uses, wiped with sodium_memzero and freed when dropped.
//
// Used for authkeys keys (conf/authkeys.h) and everything derived from them.
#pragma once

#include <cstddef>
#include <string_view>

namespace vigil {

class SecretBytes {
 public:
  SecretBytes() = default;
  // Copies `bytes` into guarded memory. Aborts if libsodium cannot
  // allocate: losing key material silently would be worse.
  explicit SecretBytes(std::string_view bytes);
  ~SecretBytes();

  SecretBytes(const SecretBytes& other);
  SecretBytes& operator=(const SecretBytes& other);
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // A view of the key; valid as long as this object lives.
  std::string_view view() const;

  // Constant-time equality (sodium_memcmp), for tests and key rotation.
  bool equals(const SecretBytes& other) const;

 private:
  void release();

  unsigned char* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace vigil
