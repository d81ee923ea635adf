// conf/options.h: the command-line options shared by the four binaries.
#include <catch2/catch.hpp>

#include <vector>

#include "conf/options.h"
#include "vigil_build_config.h"

using namespace vigil::conf;

namespace {
vigil::Result<CommonOptions> parse_args(std::vector<std::string> args) {
  args.insert(args.begin(), "prog");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return parse_common_options(static_cast<int>(argv.size()), argv.data());
}
}  // namespace

TEST_CASE("options: defaults come from the build configuration") {
  auto o = parse_args({});
  REQUIRE(o.ok());
  CHECK(o->paths.config_dir == VIGIL_DEFAULT_CONFIG_DIR);
  CHECK(o->paths.runtime_dir == VIGIL_DEFAULT_RUNTIME_DIR);
  CHECK(o->paths.state_dir == VIGIL_DEFAULT_STATE_DIR);
  CHECK_FALSE(o->node_name);
  CHECK_FALSE(o->help);
  CHECK_FALSE(o->version);
}

TEST_CASE("options: --flag VALUE and --flag=VALUE both work") {
  auto o = parse_args({"--config-dir", "/c", "--runtime-dir=/r", "--state-dir", "/s", "--node-name=Node1"});
  REQUIRE(o.ok());
  CHECK(o->paths.config_dir == "/c");
  CHECK(o->paths.runtime_dir == "/r");
  CHECK(o->paths.state_dir == "/s");
  CHECK(o->node_name == "Node1");
}

TEST_CASE("options: unrecognised words are kept in order") {
  auto o = parse_args({"status", "--json", "--config-dir", "/c", "extra"});
  REQUIRE(o.ok());
  CHECK(o->rest == std::vector<std::string>{"status", "--json", "extra"});
}

TEST_CASE("options: -h/--help and -V/--version") {
  CHECK(parse_args({"-h"})->help);
  CHECK(parse_args({"--help"})->help);
  CHECK(parse_args({"-V"})->version);
  CHECK(parse_args({"--version"})->version);
}

TEST_CASE("options: a flag without its value is an error") {
  auto o = parse_args({"--config-dir"});
  REQUIRE_FALSE(o.ok());
  CHECK_THAT(o.error().message, Catch::StartsWith("--config-dir: missing value"));
  CHECK_FALSE(parse_args({"--node-name="}).ok());
}

TEST_CASE("options: -- ends option parsing") {
  auto o = parse_args({"--", "--config-dir", "/c"});
  REQUIRE(o.ok());
  CHECK(o->paths.config_dir == VIGIL_DEFAULT_CONFIG_DIR);
  CHECK(o->rest == std::vector<std::string>{"--config-dir", "/c"});
}

TEST_CASE("options: the help text names every shared flag") {
  const std::string h = common_options_help();
  for (const char* f : {"--config-dir", "--runtime-dir", "--state-dir", "--node-name", "--help", "--version"})
    CHECK_THAT(h, Catch::Contains(f));
}
