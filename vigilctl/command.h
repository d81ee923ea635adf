// vigilctl's sub-commands. Each lives in its own file and registers itself
// in commands.cpp; main parses the shared options (conf/options.h), picks
// the sub-command by its first free word and hands it the remaining words.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "conf/options.h"

namespace vigil::ctl {

// Exit codes of vigilctl.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // the command ran and found a problem
inline constexpr int kExitUsage = 2;   // bad command line

struct Command {
  std::string_view name;     // "check-config"
  std::string_view usage;    // "check-config", with its own arguments
  std::string_view summary;  // one line for --help
  // `args`: the words after the sub-command name. Returns the exit code.
  int (*run)(const conf::CommonOptions& options, const std::vector<std::string>& args);
};

// Every sub-command, in --help order.
const std::vector<Command>& commands();

int run_check_config(const conf::CommonOptions& options, const std::vector<std::string>& args);
int run_status(const conf::CommonOptions& options, const std::vector<std::string>& args);
int run_standby(const conf::CommonOptions& options, const std::vector<std::string>& args);
int run_takeover(const conf::CommonOptions& options, const std::vector<std::string>& args);
int run_events(const conf::CommonOptions& options, const std::vector<std::string>& args);
int run_metrics(const conf::CommonOptions& options, const std::vector<std::string>& args);
int run_failback(const conf::CommonOptions& options, const std::vector<std::string>& args);
int run_cleanup(const conf::CommonOptions& options, const std::vector<std::string>& args);
int run_maintenance(const conf::CommonOptions& options, const std::vector<std::string>& args);
// Returns cl_status's own exit codes (cl_status.h), not the ones above.
int run_cl_status(const conf::CommonOptions& options, const std::vector<std::string>& args);

}  // namespace vigil::ctl
