// A FileSystem whose files are a fixed set of paths: executable ones, plain
// ones, and the content hash of some of them.
#pragma once

#include <map>
#include <set>
#include <string>

#include "resourced/file_system.h"

namespace vigil::resourced::testing {

class FakeFileSystem final : public FileSystem {
 public:
  FakeFileSystem& executable(std::string path) {
    executables_.insert(path);
    files_.insert(std::move(path));
    return *this;
  }
  FakeFileSystem& regular(std::string path) {
    files_.insert(std::move(path));
    return *this;
  }
  // An executable file whose SHA-256 is `sha256`.
  FakeFileSystem& executable_with_hash(const std::string& path, std::string sha256) {
    hashes_[path] = std::move(sha256);
    return executable(path);
  }
  // A file whose content contains `text` (for file_mentions).
  FakeFileSystem& mentioning(const std::string& path, std::string text) {
    mentions_[path] = std::move(text);
    return regular(path);
  }
  bool file_mentions(const std::string& path, const std::string& text) const override {
    auto it = mentions_.find(path);
    return it != mentions_.end() && it->second.find(text) != std::string::npos;
  }
  bool is_executable_file(const std::string& path) const override {
    return executables_.count(path) != 0;
  }
  bool is_regular_file(const std::string& path) const override { return files_.count(path) != 0; }
  std::optional<std::string> sha256_of(const std::string& path) const override {
    if (auto it = hashes_.find(path); it != hashes_.end()) return it->second;
    if (files_.count(path) != 0) return std::string(64, '0');
    return std::nullopt;
  }

 private:
  std::set<std::string> executables_;
  std::set<std::string> files_;
  std::map<std::string, std::string> hashes_;
  std::map<std::string, std::string> mentions_;
};

}  // namespace vigil::resourced::testing
