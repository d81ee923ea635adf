#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "heartbeatd/io/upgrade_restart.h"

namespace fs = std::filesystem;
using vigil::io::kUpgradeRestartMarker;
using vigil::io::marker_names;
using vigil::io::upgrade_restart_requested;

namespace {

struct RuntimeDir {
  fs::path path;
  RuntimeDir() {
    std::string tmpl = (fs::temp_directory_path() / "vigil-upgrade-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~RuntimeDir() { fs::remove_all(path); }
  fs::path marker() const { return path / std::string(kUpgradeRestartMarker); }
  void write_marker(const std::string& content) const { std::ofstream(marker()) << content; }
};

}  // namespace

TEST_CASE("upgrade restart: the marker names one PID, in decimal, optionally newline-ended") {
  CHECK(marker_names("4242", 4242));
  CHECK(marker_names("4242\n", 4242));
  CHECK_FALSE(marker_names("4243\n", 4242));
  CHECK_FALSE(marker_names("", 4242));
  CHECK_FALSE(marker_names("\n", 4242));
  CHECK_FALSE(marker_names("4242\n\n", 4242));
  CHECK_FALSE(marker_names(" 4242", 4242));
  CHECK_FALSE(marker_names("4242 ", 4242));
  CHECK_FALSE(marker_names("+4242", 4242));
  CHECK_FALSE(marker_names("-4242", -4242));
  CHECK_FALSE(marker_names("04242x", 4242));
  CHECK_FALSE(marker_names("99999999999999999999999", 4242));
}

TEST_CASE("upgrade restart: a marker naming this process asks for the restart") {
  RuntimeDir dir;
  dir.write_marker(std::to_string(::getpid()) + "\n");
  CHECK(upgrade_restart_requested(dir.path.string(), ::getpid()));
}

TEST_CASE("upgrade restart: no marker, or one naming another process, is an admin's stop") {
  RuntimeDir dir;
  CHECK_FALSE(upgrade_restart_requested(dir.path.string(), ::getpid()));
  dir.write_marker(std::to_string(::getpid() + 1) + "\n");
  CHECK_FALSE(upgrade_restart_requested(dir.path.string(), ::getpid()));
}

TEST_CASE("upgrade restart: a symbolic link or a directory at the marker's path is ignored") {
  RuntimeDir dir;
  const fs::path elsewhere = dir.path / "elsewhere";
  std::ofstream(elsewhere) << ::getpid() << "\n";
  fs::create_symlink(elsewhere, dir.marker());
  CHECK_FALSE(upgrade_restart_requested(dir.path.string(), ::getpid()));
  fs::remove(dir.marker());
  fs::create_directory(dir.marker());
  CHECK_FALSE(upgrade_restart_requested(dir.path.string(), ::getpid()));
}

TEST_CASE("upgrade restart: --version's features line names the marker and the IPC version") {
  CHECK(vigil::io::features_line() == "features: upgrade-restart-marker ipc-1");
}
