#include "common/secret_bytes.h"

#include <sodium.h>

#include <cstdlib>
#include <cstring>

namespace vigil {

namespace {

unsigned char* guarded_copy(std::string_view bytes) {
  if (bytes.empty()) return nullptr;
  // sodium_init is idempotent and thread-safe; calling it here keeps every
  // user of SecretBytes from having to remember it.
  if (sodium_init() < 0) std::abort();
  auto* p = static_cast<unsigned char*>(sodium_malloc(bytes.size()));
  if (p == nullptr) std::abort();
  std::memcpy(p, bytes.data(), bytes.size());
  sodium_mprotect_readonly(p);
  return p;
}

}  // namespace

SecretBytes::SecretBytes(std::string_view bytes)
    : data_(guarded_copy(bytes)), size_(bytes.size()) {}

SecretBytes::~SecretBytes() { release(); }

SecretBytes::SecretBytes(const SecretBytes& other)
    : data_(guarded_copy(other.view())), size_(other.size_) {}

SecretBytes& SecretBytes::operator=(const SecretBytes& other) {
  if (this != &other) {
    release();
    data_ = guarded_copy(other.view());
    size_ = other.size_;
  }
  return *this;
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(other.data_), size_(other.size_) {
  other.data_ = nullptr;
  other.size_ = 0;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    release();
    data_ = other.data_;
    size_ = other.size_;
    other.data_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

std::string_view SecretBytes::view() const {
  if (data_ == nullptr) return {};
  return {reinterpret_cast<const char*>(data_), size_};
}

bool SecretBytes::equals(const SecretBytes& other) const {
  if (size_ != other.size_) return false;
  if (size_ == 0) return true;
  return sodium_memcmp(data_, other.data_, size_) == 0;
}

void SecretBytes::release() {
  if (data_ != nullptr) {
    // sodium_free wipes the region before unmapping it; it needs write
    // access back first.
    sodium_mprotect_readwrite(data_);
    sodium_free(data_);
  }
  data_ = nullptr;
  size_ = 0;
}

}  // namespace vigil
