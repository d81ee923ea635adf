// vigilctl: the administrator's tool (architecture.md "Processes and
// trust"). Parses the options shared by all vigil binaries, then runs one
// sub-command.
#include <iostream>

#include "conf/options.h"
#include "vigil_build_config.h"
#include "vigilctl/command.h"

namespace {

void print_help(std::ostream& out) {
  out << "usage: vigilctl [OPTIONS] COMMAND [ARGS]\n\ncommands:\n";
  for (const auto& c : vigil::ctl::commands()) {
    out << "  " << c.usage << "\n      " << c.summary << "\n";
  }
  out << "\noptions:\n" << vigil::conf::common_options_help();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace vigil;
  auto options = conf::parse_common_options(argc, argv);
  if (!options) {
    std::cerr << "vigilctl: " << options.error().message << "\n";
    return ctl::kExitUsage;
  }
  if (options->help) {
    print_help(std::cout);
    return ctl::kExitOk;
  }
  if (options->version) {
    std::cout << "vigilctl (vigil) " << VIGIL_VERSION << "\n";
    return ctl::kExitOk;
  }
  if (options->rest.empty()) {
    print_help(std::cerr);
    return ctl::kExitUsage;
  }
  const std::string& name = options->rest.front();
  for (const auto& c : ctl::commands()) {
    if (c.name == name) {
      const std::vector<std::string> args(options->rest.begin() + 1, options->rest.end());
      return c.run(*options, args);
    }
  }
  std::cerr << "vigilctl: unknown command [" << name << "]; expected one of:";
  for (const auto& c : ctl::commands()) std::cerr << " " << c.name;
  std::cerr << " (see vigilctl --help)\n";
  return ctl::kExitUsage;
}
