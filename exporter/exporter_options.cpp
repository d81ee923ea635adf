#include "exporter/exporter_options.h"

#include <fmt/format.h>

#include <charconv>

namespace vigil::exporter {

Result<Options> parse_options(const std::vector<std::string>& args) {
  Options o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* flag) -> Result<std::string> {
      if (i + 1 >= args.size() || args[i + 1].empty())
        return Error{fmt::format("{} needs a value", flag)};
      return args[++i];
    };
    if (a == "-h" || a == "--help") {
      o.help = true;
    } else if (a == "-V" || a == "--version") {
      o.version = true;
    } else if (a == "--status-socket") {
      auto v = value("--status-socket");
      if (!v) return v.error();
      o.status_socket = *v;
    } else if (a == "--listen") {
      auto v = value("--listen");
      if (!v) return v.error();
      if (auto hp = parse_listen(*v); !hp) return hp.error();
      o.listen = *v;
    } else {
      return Error{fmt::format("unknown argument [{}]", a)};
    }
  }
  return o;
}

Result<HostPort> parse_listen(const std::string& text) {
  HostPort hp;
  std::string port;
  if (text.starts_with('[')) {
    const auto close = text.find("]:");
    if (close == std::string::npos)
      return Error{fmt::format("--listen [{}]: expected [ADDRESS]:PORT", text)};
    hp.host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || text.find(':') != colon)
      return Error{fmt::format("--listen [{}]: expected ADDRESS:PORT", text)};
    hp.host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (hp.host.empty() || ec != std::errc{} || end != port.data() + port.size() || value == 0 ||
      value > 65535)
    return Error{fmt::format("--listen [{}]: expected ADDRESS:PORT with a port 1-65535", text)};
  hp.port = static_cast<std::uint16_t>(value);
  return hp;
}

}  // namespace vigil::exporter
