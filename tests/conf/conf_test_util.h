// Helpers for the conf tests: parse text in one call, temporary config
// directories that clean up after themselves.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "conf/diagnostics.h"
#include "conf/ha_cf.h"

namespace vigil::conf::test {

// A valid two-node ha.cf to which a test appends the line it is about.
inline constexpr const char* kMinimalHaCf =
    "bcast eth0\n"
    "node alpha\n"
    "node beta\n";

struct Parsed {
  HaCf cf;
  Diagnostics diag;
};

inline Parsed parse(const std::string& text) {
  Parsed p;
  p.cf = parse_ha_cf(text, "ha.cf", p.diag);
  return p;
}

// Errors joined by newlines, for readable CHECK failures.
inline std::string errors_of(const Diagnostics& d) {
  std::string s;
  for (const auto& e : d.errors()) s += e + "\n";
  return s;
}
inline std::string warnings_of(const Diagnostics& d) {
  std::string s;
  for (const auto& e : d.warnings()) s += e + "\n";
  return s;
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "vigil-conf-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

  void write(const std::string& name, const std::string& text, mode_t mode = 0644) const {
    const std::string p = file(name);
    {
      std::ofstream out(p, std::ios::binary | std::ios::trunc);
      out << text;
    }
    ::chmod(p.c_str(), mode);
  }

 private:
  std::string path_;
};

// A config dir holding the three files, authkeys with mode 0600.
inline void write_config(const TempDir& dir, const std::string& ha_cf, const std::string& haresources,
                         const std::string& authkeys = "auth 1\n1 sha1 secret\n") {
  dir.write("ha.cf", ha_cf);
  dir.write("haresources", haresources);
  dir.write("authkeys", authkeys, 0600);
}

}  // namespace vigil::conf::test
