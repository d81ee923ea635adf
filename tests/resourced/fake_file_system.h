// A FileSystem whose executable files are a fixed set of paths.
#pragma once

#include <set>
#include <string>

#include "resourced/file_system.h"

namespace vigil::resourced::testing {

class FakeFileSystem final : public FileSystem {
 public:
  FakeFileSystem& executable(std::string path) {
    executables_.insert(std::move(path));
    return *this;
  }
  bool is_executable_file(const std::string& path) const override {
    return executables_.count(path) != 0;
  }

 private:
  std::set<std::string> executables_;
};

}  // namespace vigil::resourced::testing
