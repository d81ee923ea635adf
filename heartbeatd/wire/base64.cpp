#include "heartbeatd/wire/base64.h"

#include <sodium.h>

namespace vigil::wire {

namespace {
constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;
}

std::string base64_encode(std::string_view bytes) {
  // sodium_base64_ENCODED_LEN counts the terminating NUL it writes.
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(),
                    reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), kVariant);
  out.pop_back();
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()),
                        out.size(), text.data(), text.size(), nullptr,
                        &length, &end, kVariant) != 0)
    return std::nullopt;
  if (end != text.data() + text.size()) return std::nullopt;
  out.resize(length);
  return out;
}

}  // namespace vigil::wire
