// heartbeat's cl_status, answered from a StatusReply (heartbeat-compat.md
// §7.2): the same sub-commands, outputs and exit codes, so scripts and
// monitoring written for heartbeat keep working. Pure: parsing and
// formatting are separate from talking to heartbeatd (cl_status_command.cpp).
//
// Sub-commands: hbstatus [-v], listnodes [-p] [-n], nodestatus NODE,
// nodetype NODE, listhblinks NODE [-v], hblinkstatus NODE IF, rscstatus;
// -m for the human-readable variants. Options may stand before or after
// the sub-command's parameters. clientstatus, hbparameter, nodeweight and
// nodesite need heartbeat's client API and are reported as unsupported
// (exit 13).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/proto/control_messages.h"
#include "common/result.h"
#include "vigilctl/control_client.h"

namespace vigil::ctl::cl_status {

inline constexpr int kOk = 0;
inline constexpr int kNormalFail = 1;  // node/link down, heartbeat stopped
inline constexpr int kParamError = 11;
inline constexpr int kTimeout = 12;
inline constexpr int kUnknownError = 13;

struct Request {
  std::string sub_command;
  bool human = false;        // -m
  bool verbose = false;      // -v
  bool ping_only = false;    // listnodes -p
  bool normal_only = false;  // listnodes -n
  std::vector<std::string> params;
};

struct Output {
  std::string out;  // stdout
  std::string err;  // stderr
  int exit = kOk;
};

// The usage text (for parameter errors).
std::string usage();

// Parses the words after `cl_status`. Error: a parameter error (exit 11).
Result<Request> parse(const std::vector<std::string>& args);

// The answer when heartbeatd replied with `status`. `version` is what
// `hbstatus -v` prints after "version:" (heartbeat: "3.0.6 (<hg id>)").
Output answer(const Request& request, const proto::control::StatusReply& status,
              std::string_view version);

// The answer when heartbeatd could not be asked.
Output unreachable(const Request& request, const ClientError& error);

}  // namespace vigil::ctl::cl_status
