#include "vigilctl/cl_status.h"

#include <fmt/format.h>

namespace vigil::ctl::cl_status {

namespace ctlmsg = proto::control;

namespace {

struct SubCommand {
  std::string_view name;
  std::size_t params;  // exact number of parameters
};

constexpr SubCommand kSubCommands[] = {
    {"hbstatus", 0},    {"listnodes", 0},    {"nodestatus", 1}, {"nodetype", 1},
    {"listhblinks", 1}, {"hblinkstatus", 2}, {"rscstatus", 0},
};

// Need heartbeat's client API or parameters vigil does not keep.
constexpr std::string_view kUnsupported[] = {"clientstatus", "hbparameter", "nodeweight",
                                             "nodesite"};

Output fail(int code, std::string err) { return Output{"", std::move(err), code}; }

Output no_node(std::string_view node) {
  // heartbeat: the API refuses an unknown node name (normal failure).
  return fail(kNormalFail, fmt::format("Cannot get node {}'s information: no such node in the "
                                       "cluster.\n",
                                       node));
}

bool healthy(ctlmsg::NodeStatus s) {
  return s == ctlmsg::NodeStatus::kActive || s == ctlmsg::NodeStatus::kUp ||
         s == ctlmsg::NodeStatus::kPing;
}

}  // namespace

std::string usage() {
  return "Usage: cl_status <sub-command> [<options>] [<parameters>]\n"
         "  hbstatus [-m] [-v]\n"
         "  listnodes [-m] [-p|-n]\n"
         "  nodestatus [-m] <node-name>\n"
         "  nodetype [-m] <node-name>\n"
         "  listhblinks [-m] [-v] <node-name>\n"
         "  hblinkstatus [-m] <node-name> <link-name>\n"
         "  rscstatus [-m]\n";
}

Result<Request> parse(const std::vector<std::string>& args) {
  Request r;
  std::vector<std::string> words;
  for (const auto& a : args) {
    if (a.size() >= 2 && a[0] == '-') {
      for (std::size_t i = 1; i < a.size(); ++i) {
        switch (a[i]) {
          case 'm':
            r.human = true;
            break;
          case 'v':
            r.verbose = true;
            break;
          case 'p':
            r.ping_only = true;
            break;
          case 'n':
            r.normal_only = true;
            break;
          default:
            return Error{fmt::format("unknown option -{}", a[i])};
        }
      }
    } else {
      words.push_back(a);
    }
  }
  if (words.empty()) return Error{"no sub-command"};
  r.sub_command = words.front();
  r.params.assign(words.begin() + 1, words.end());
  for (auto u : kUnsupported)
    if (r.sub_command == u) return r;  // answered with kUnknownError
  for (const auto& s : kSubCommands) {
    if (r.sub_command != s.name) continue;
    if (r.params.size() != s.params)
      return Error{
          fmt::format("{} takes {} parameter{}", s.name, s.params, s.params == 1 ? "" : "s")};
    if ((r.ping_only || r.normal_only) && r.sub_command != "listnodes")
      return Error{"-p and -n are options of listnodes"};
    return r;
  }
  return Error{fmt::format("unknown sub-command [{}]", r.sub_command)};
}

Output answer(const Request& rq, const ctlmsg::StatusReply& st, std::string_view version) {
  const std::string& sub = rq.sub_command;
  if (sub == "hbstatus") {
    Output o{"Heartbeat is running on this machine.\n", "", kOk};
    if (!rq.verbose) return o;
    if (rq.human)
      o.out +=
          fmt::format("Heartbeat version {}\nResources controlled by \"haresources\"\n", version);
    else
      o.out += fmt::format("version:\t{}\nmanaged by:\t\"haresources\"\n", version);
    for (const auto& n : st.nodes) {
      o.out += fmt::format("\n{}\t{}\t(nodetype: {})\n", n.name, ctlmsg::node_status_word(n.status),
                           ctlmsg::node_type_word(n.type));
      for (const auto& l : n.links)
        o.out += fmt::format("\t{}\t{}\n", l.name, l.up ? "up" : "dead");
    }
    return o;
  }
  if (sub == "listnodes") {
    Output o;
    if (rq.human) o.out = "The nodes are as follow:\n";
    for (const auto& n : st.nodes) {
      const bool ping = n.type == ctlmsg::NodeType::kPing;
      if ((rq.ping_only && !ping) || (rq.normal_only && ping)) continue;
      o.out += n.name + "\n";
    }
    return o;
  }
  if (sub == "rscstatus") {
    const auto word = ctlmsg::rscstatus_word(st.rscstatus);
    return Output{rq.human ? fmt::format("This node is holding {} resources.\n", word)
                           : fmt::format("{}\n", word),
                  "", kOk};
  }
  if (sub == "clientstatus" || sub == "hbparameter" || sub == "nodeweight" || sub == "nodesite")
    return fail(
        kUnknownError,
        fmt::format("cl_status {}: not supported by vigil (no heartbeat client API)\n", sub));

  // The sub-commands about one node.
  const std::string& name = rq.params.at(0);
  const ctlmsg::NodeInfo* node = st.node(name);
  if (node == nullptr) return no_node(name);
  if (sub == "nodestatus") {
    const auto word = ctlmsg::node_status_word(node->status);
    return Output{rq.human ? fmt::format("The cluster node {} is {}\n", name, word)
                           : fmt::format("{}\n", word),
                  "", healthy(node->status) ? kOk : kNormalFail};
  }
  if (sub == "nodetype") {
    const auto word = ctlmsg::node_type_word(node->type);
    return Output{
        rq.human ? fmt::format("The node {}'s type: {}\n", name, word) : fmt::format("{}\n", word),
        "", kOk};
  }
  if (sub == "listhblinks") {
    Output o;
    if (rq.human) o.out = "\tthis node has the following heartbeat links:\n";
    for (const auto& l : node->links)
      o.out += rq.verbose ? fmt::format("\t{}\t{}\n", l.name, l.up ? "up" : "dead")
                          : fmt::format("\t{}\n", l.name);
    return o;
  }
  // hblinkstatus
  const std::string& link = rq.params.at(1);
  for (const auto& l : node->links) {
    if (l.name != link) continue;
    const std::string_view word = l.up ? "up" : "dead";
    return Output{rq.human
                      ? fmt::format("The node {}'s heartbeat link {} is {}\n", name, link, word)
                      : fmt::format("{}\n", word),
                  "", l.up ? kOk : kNormalFail};
  }
  return fail(kNormalFail,
              fmt::format("Cannot get node {}'s link {} status: no such link.\n", name, link));
}

Output unreachable(const Request& rq, const ClientError& error) {
  if (rq.sub_command == "hbstatus") {
    switch (error.failure) {
      case Failure::kNotRunning:
        return Output{"Heartbeat is stopped on this machine.\n", "", kNormalFail};
      case Failure::kRefused:
        // §7.2: running, but the sign-on was refused: exit 0.
        return Output{
            "Heartbeat is apparently running on this machine, but refuses my connection\n", "",
            kOk};
      case Failure::kTimeout:
        return fail(kTimeout, fmt::format("Timed out: {}\n", error.message));
      case Failure::kProtocol:
        return fail(kUnknownError, fmt::format("Unknown error: {}\n", error.message));
    }
  }
  switch (error.failure) {
    case Failure::kNotRunning:
    case Failure::kRefused:
      return fail(kNormalFail,
                  fmt::format("Cannot signon with heartbeat\nREASON: {}\n", error.message));
    case Failure::kTimeout:
      return fail(kTimeout, fmt::format("Timed out: {}\n", error.message));
    case Failure::kProtocol:
      break;
  }
  return fail(kUnknownError, fmt::format("Unknown error: {}\n", error.message));
}

}  // namespace vigil::ctl::cl_status
