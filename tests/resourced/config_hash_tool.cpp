// config_hash_tool [--config-dir DIR] [--node-name NAME]
//
// Prints the configuration hash (conf::Config::hash) every vigil process
// computes for that directory, so the integration tests' Python client can
// say Hello to resourced without reimplementing the normalisation.
#include <cstdio>

#include "conf/load.h"
#include "conf/options.h"

int main(int argc, char** argv) {
  using namespace vigil;
  auto opts = conf::parse_common_options(argc, argv);
  if (!opts || !opts->rest.empty()) {
    std::fprintf(stderr, "usage: config_hash_tool [--config-dir DIR] [--node-name NAME]\n");
    return 2;
  }
  auto loaded = conf::load_config(conf::LoadOptions{opts->paths, opts->node_name});
  if (!loaded) {
    std::fprintf(stderr, "%s\n", loaded.error().message.c_str());
    return 1;
  }
  std::printf("%s\n", loaded->config.hash.c_str());
  return 0;
}
