// vigilctl metrics: heartbeatd's metrics in the Prometheus text format, as
// vigil-exporter serves them, for node_exporter's textfile collector:
//   vigilctl metrics > /var/lib/prometheus/node-exporter/vigil.prom.$$ &&
//     mv /var/lib/prometheus/node-exporter/vigil.prom.$$ .../vigil.prom
// Read-only, like status (metrics list: vigil-metrics(7)).
#include <iostream>

#include "vigilctl/command.h"
#include "vigilctl/control_client.h"

namespace vigil::ctl {

int run_metrics(const conf::CommonOptions& options, const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::cerr << "vigilctl metrics: unexpected argument [" << args.front()
              << "]; expected: vigilctl metrics\n";
    return kExitUsage;
  }
  const Reply reply = ask(control_socket_path(options.paths), proto::control::MetricsRequest{});
  if (!reply.ok) {
    std::cerr << "vigilctl metrics: " << reply.error.message << "\n";
    return kExitFailed;
  }
  const auto* metrics = std::get_if<proto::control::MetricsReply>(&reply.message);
  if (metrics == nullptr || metrics->text.empty()) {
    std::cerr << "vigilctl metrics: heartbeatd sent no metrics (see its log)\n";
    return kExitFailed;
  }
  std::cout << metrics->text;
  return kExitOk;
}

}  // namespace vigil::ctl
