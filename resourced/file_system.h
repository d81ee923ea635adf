// The one question agent lookup asks of the file system, behind a seam so
// lookup tests can run against a fake tree (ninja's DiskInterface).
#pragma once

#include <string>

namespace vigil::resourced {

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // True if `path` names an existing regular file (after following
  // symlinks) that this process may execute.
  virtual bool is_executable_file(const std::string& path) const = 0;
};

// The real one: stat(2) + access(X_OK).
class RealFileSystem final : public FileSystem {
 public:
  bool is_executable_file(const std::string& path) const override;
};

}  // namespace vigil::resourced
