#include "conf/haresources.h"

#include <algorithm>
#include <map>

#include "conf/ip_spec.h"
#include "conf/text.h"

namespace vigil::conf {

namespace {

struct LogicalLine {
  int line = 0;  // first physical line
  std::string text;
};

// §3.1: comments stripped first, then `\` joins a line with the next.
std::vector<LogicalLine> logical_lines(std::string_view text) {
  std::vector<LogicalLine> out;
  LogicalLine cur;
  bool continuing = false;
  const auto lines = split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string_view l = lines[i];
    l = l.substr(0, l.find('#'));
    while (!l.empty() && (is_blank(l.back()) || l.back() == '\f')) l.remove_suffix(1);
    const bool continues = !l.empty() && l.back() == '\\';
    if (continues) l.remove_suffix(1);
    if (!continuing) cur = LogicalLine{static_cast<int>(i + 1), {}};
    cur.text += ' ';
    cur.text += l;
    continuing = continues;
    if (!continuing) out.push_back(std::move(cur));
  }
  if (continuing) out.push_back(std::move(cur));
  return out;
}

std::string node_list(const std::vector<std::string>& nodes) {
  std::string s;
  for (const auto& n : nodes) s += (s.empty() ? "" : ", ") + n;
  return s.empty() ? "(none)" : s;
}

}  // namespace

Result<Resource> parse_resource(std::string_view token, std::vector<std::string>* warnings) {
  Resource r;
  r.text = std::string(token);
  if (looks_like_ipv4_resource(token)) {
    r.kind = ResourceKind::kIpAddr;
    r.name = "IPaddr";
    r.args = {r.text};
    auto ip = parse_ip_spec(token, IpResource::kIpAddr, warnings);
    if (!ip) return ip.error();
    r.ip = std::move(ip.value());
    return r;
  }
  const std::size_t sep = token.find("::");
  r.name = std::string(token.substr(0, sep));
  if (sep != std::string_view::npos) {
    std::string_view rest = token.substr(sep + 2);
    while (true) {
      const std::size_t next = rest.find("::");
      r.args.emplace_back(rest.substr(0, next));
      if (next == std::string_view::npos) break;
      rest = rest.substr(next + 2);
    }
  }
  if (r.name.empty())
    return Error{"resource [" + r.text + "] has no script name; expected NAME or NAME::ARG::..."};
  // The name is looked up in resource.d and init.d: it must stay a file name.
  if (r.name.find('/') != std::string::npos || r.name == "." || r.name == "..")
    return Error{"resource script name [" + r.name +
                 "] is not a plain file name; expected a script of resource.d or init.d"};

  const bool ipaddr = r.name == "IPaddr", ipaddr2 = r.name == "IPaddr2", v6 = r.name == "IPv6addr";
  if (!ipaddr && !ipaddr2 && !v6) {
    r.kind = ResourceKind::kScript;
    return r;
  }
  std::string arg;
  if (v6) {
    // An IPv6 address may itself contain "::": everything after the name is
    // the one argument.
    arg = sep == std::string_view::npos ? "" : std::string(token.substr(sep + 2));
    r.args = {arg};
  } else {
    if (r.args.size() != 1)
      return Error{r.name + " [" + r.text + "] needs exactly one argument; expected " + r.name +
                   "::IP[/CIDRBITS[/NIC[/BROADCAST]]]"};
    arg = r.args[0];
  }
  if (arg.empty())
    return Error{r.name + " [" + r.text + "] has no address; expected " + r.name +
                 (v6 ? "::IP6[/PREFIX[/NIC]]" : "::IP[/CIDRBITS[/NIC[/BROADCAST]]]")};
  r.kind = ipaddr    ? ResourceKind::kIpAddr
           : ipaddr2 ? ResourceKind::kIpAddr2
                     : ResourceKind::kIPv6addr;
  auto ip = parse_ip_spec(arg,
                          ipaddr    ? IpResource::kIpAddr
                          : ipaddr2 ? IpResource::kIpAddr2
                                    : IpResource::kIPv6addr,
                          warnings);
  if (!ip) return ip.error();
  r.ip = std::move(ip.value());
  return r;
}

std::vector<ResourceGroup> parse_haresources(std::string_view text, std::string_view file,
                                             const std::vector<std::string>* nodes,
                                             Diagnostics& diag) {
  std::vector<ResourceGroup> groups;
  std::map<std::string, int> key_lines;  // group key -> its line
  for (const LogicalLine& l : logical_lines(text)) {
    const auto tokens = split_any(l.text, " \t\r\f");
    if (tokens.empty()) continue;
    ResourceGroup g;
    g.line = l.line;
    g.node = lower(tokens[0]);
    bool ok = true;
    if (nodes != nullptr && std::find(nodes->begin(), nodes->end(), g.node) == nodes->end()) {
      diag.error(file, l.line, "Bad nodename in " + std::string(file) + " [" + tokens[0] + "]",
                 "expected a node of ha.cf: " + node_list(*nodes));
      ok = false;
    }
    if (tokens.size() < 2) {
      diag.error(file, l.line, "resource group of " + g.node + " lists no resource",
                 "expected NODE RESOURCE [RESOURCE...]");
      continue;
    }
    for (std::size_t i = 1; i < tokens.size(); ++i) {
      std::vector<std::string> warnings;
      auto r = parse_resource(tokens[i], &warnings);
      for (const auto& w : warnings) diag.warn(file, l.line, w);
      if (!r) {
        diag.error(file, l.line, r.error().message);
        ok = false;
        continue;
      }
      g.resources.push_back(std::move(r.value()));
    }
    // §3.1: groups are addressed by their first resource everywhere.
    const std::string& key = tokens[1];
    if (const auto [it, fresh] = key_lines.emplace(key, l.line); !fresh) {
      diag.error(file, l.line,
                 "duplicate resource group key [" + key + "], first used on line " +
                     std::to_string(it->second),
                 "expected the first resource of each line to be unique");
      ok = false;
    }
    if (ok) groups.push_back(std::move(g));
  }
  return groups;
}

}  // namespace vigil::conf
