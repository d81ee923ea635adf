#include "resourced/file_system.h"

#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

namespace vigil::resourced {

namespace {

constexpr std::streamsize kMaxReadFile = 1 << 20;

std::optional<std::string> read_small_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string content(std::istreambuf_iterator<char>(in), {});
  if (in.bad() || static_cast<std::streamsize>(content.size()) > kMaxReadFile) return std::nullopt;
  return content;
}

}  // namespace

bool RealFileSystem::is_executable_file(const std::string& path) const {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  return ::access(path.c_str(), X_OK) == 0;
}

bool RealFileSystem::is_regular_file(const std::string& path) const {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::optional<std::string> RealFileSystem::sha256_of(const std::string& path) const {
  if (!is_regular_file(path) || sodium_init() < 0) return std::nullopt;
  const auto content = read_small_file(path);
  if (!content) return std::nullopt;
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(content->data()),
                     content->size());
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex);
}

bool RealFileSystem::file_mentions(const std::string& path, const std::string& text) const {
  if (!is_regular_file(path)) return false;
  const auto content = read_small_file(path);
  return content && content->find(text) != std::string::npos;
}

}  // namespace vigil::resourced
