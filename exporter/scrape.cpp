#include "exporter/scrape.h"

#include <fmt/format.h>

#include "vigilctl/control_client.h"

namespace vigil::exporter {

std::string up_text(bool up) {
  return fmt::format(
      "# HELP vigil_up Whether heartbeatd answered this scrape on its read-only socket.\n"
      "# TYPE vigil_up gauge\n"
      "vigil_up {}\n",
      up ? 1 : 0);
}

Scrape scrape(const std::string& status_socket, std::chrono::milliseconds timeout) {
  Scrape s;
  const ctl::Reply reply = ctl::ask(status_socket, proto::control::MetricsRequest{}, timeout);
  const auto* metrics =
      reply.ok ? std::get_if<proto::control::MetricsReply>(&reply.message) : nullptr;
  if (metrics != nullptr && !metrics->text.empty()) {
    s.up = true;
    s.text = up_text(true) + metrics->text;
    return s;
  }
  s.error = !reply.ok            ? reply.error.message
            : metrics == nullptr ? std::string("heartbeatd answered with the wrong message")
                                 : std::string("heartbeatd sent no metrics (see its log)");
  s.text = up_text(false);
  return s;
}

}  // namespace vigil::exporter
