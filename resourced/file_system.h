// The questions agent lookup asks of the file system, behind a seam so
// lookup tests can run against a fake tree (ninja's DiskInterface).
#pragma once

#include <optional>
#include <string>

namespace vigil::resourced {

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // True if `path` names an existing regular file (after following
  // symlinks) that this process may execute.
  virtual bool is_executable_file(const std::string& path) const = 0;
  // True if `path` names an existing regular file (the shell's `test -f`).
  virtual bool is_regular_file(const std::string& path) const = 0;
  // The SHA-256 (lowercase hex) of the regular file at `path`, or nothing
  // if it is not one, cannot be read, or is larger than 1 MiB (no script
  // heartbeat shipped comes near that).
  virtual std::optional<std::string> sha256_of(const std::string& path) const = 0;
  // True if the regular file at `path` (at most 1 MiB of it) contains `text`.
  virtual bool file_mentions(const std::string& path, const std::string& text) const = 0;
};

// The real one: stat(2), access(X_OK), read(2) + libsodium.
class RealFileSystem final : public FileSystem {
 public:
  bool is_executable_file(const std::string& path) const override;
  bool is_regular_file(const std::string& path) const override;
  std::optional<std::string> sha256_of(const std::string& path) const override;
  bool file_mentions(const std::string& path, const std::string& text) const override;
};

}  // namespace vigil::resourced
