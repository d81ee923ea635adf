// A temporary directory for agent tests, removed with everything in it
// when the object goes. Scripts are written with a #!/bin/sh line.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace vigil::resourced::testing {

class TempTree {
 public:
  TempTree() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "vigil-resourced-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
    root_ = tmpl;
  }
  ~TempTree() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;

  const std::string& root() const { return root_; }
  std::string path(const std::string& rel) const { return root_ + "/" + rel; }

  std::string mkdir(const std::string& rel) const {
    std::filesystem::create_directories(path(rel));
    return path(rel);
  }

  // Writes `body` after "#!/bin/sh\n" to rel, mode `mode`.
  std::string script(const std::string& rel, const std::string& body, mode_t mode = 0755) const {
    return file(rel, "#!/bin/sh\n" + body, mode);
  }

  std::string file(const std::string& rel, const std::string& content, mode_t mode = 0644) const {
    const std::string p = path(rel);
    std::filesystem::create_directories(std::filesystem::path(p).parent_path());
    std::ofstream(p, std::ios::trunc) << content;
    ::chmod(p.c_str(), mode);
    return p;
  }

  std::string read(const std::string& rel) const {
    std::ifstream in(path(rel));
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

 private:
  std::string root_;
};

}  // namespace vigil::resourced::testing
