// ipd: the root helper that holds the virtual IPs (architecture.md). It
// loads the configuration itself, opens RUNTIME_DIR/ipd.sock (or takes it
// from systemd), drops every capability but CAP_NET_ADMIN and CAP_NET_RAW,
// reads what the kernel has, and serves heartbeatd (server.h).
//
// SIGTERM/SIGINT: stop serving and exit without touching any address —
// whether a VIP goes is heartbeatd's decision, and a restarted ipd finds
// the kernel as this one left it.
#include <fmt/format.h>

#include <csignal>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "common/ipc/helper_access.h"
#include "common/log.h"
#include "common/signal_watcher.h"
#include "common/systemd_notify.h"
#include "common/watchdog_pinger.h"
#include "conf/load.h"
#include "conf/helper_options.h"
#include "conf/log_settings.h"
#include "conf/options.h"
#include "ipd/kernel_vips.h"
#include "ipd/listen_socket.h"
#include "ipd/privileges.h"
#include "ipd/server.h"
#include "ipd/vip_controller.h"
#include "vigil_build_config.h"

namespace {

using namespace vigil;

constexpr int kExitUsage = 2;

void print_help() {
  std::printf(
      "Usage: ipd [OPTION]...\n"
      "Holds vigil's virtual IP addresses: adds and removes them over netlink,\n"
      "announces them (gratuitous ARP, unsolicited neighbour advertisements)\n"
      "and watches links and addresses, on heartbeatd's behalf. Runs as root or\n"
      "with CAP_NET_ADMIN and CAP_NET_RAW; keeps only those two capabilities.\n\n"
      "  --heartbeat-user NAME   the user heartbeatd runs as; only it and root may\n"
      "                          connect (default hacluster)\n"
      "  --heartbeat-group NAME  group of RUNTIME_DIR/ipd.sock (default the\n"
      "                          primary group of the heartbeat user)\n"
      "%s",
      conf::common_options_help().c_str());
}

}  // namespace

int main(int argc, char** argv) {
  auto options = conf::parse_common_options(argc, argv);
  if (!options) {
    std::fprintf(stderr, "ipd: %s\n", options.error().message.c_str());
    return kExitUsage;
  }
  if (options->help) {
    print_help();
    return 0;
  }
  if (options->version) {
    std::printf("ipd (vigil) %s\n", VIGIL_VERSION);
    return 0;
  }
  auto parsed_own = conf::parse_helper_options(options->rest, "ipd");
  if (!parsed_own) {
    std::fprintf(stderr, "ipd: %s\n", parsed_own.error().message.c_str());
    return kExitUsage;
  }
  const conf::HelperOptions& own = *parsed_own;

  // A root helper never signs or verifies a packet: it does not read the
  // keys (conf/load.h), so it runs without access to authkeys.
  conf::LoadOptions load_options{options->paths, options->node_name};
  load_options.read_authkeys = false;
  auto loaded = conf::load_config(load_options);
  if (!loaded) {
    const log::Fields fields = {{"VIGIL_EVENT", "config-error"}, {"VIGIL_DAEMON", "ipd"}};
    log::crit("ipd cannot start: configuration errors:", fields);
    log::write_lines(log::Priority::kCrit, loaded.error().message, fields);
    return 1;
  }
  const conf::Config config = std::move(loaded->config);
  if (Status s = log::init(conf::log_settings(config.ha_cf, "ipd")); !s) log::warn("ipd: " + s.error().message);
  for (const auto& w : loaded->warnings) log::warn(w);
  // heartbeatd must send this hash; printing it makes a mismatch easy to see.
  log::info(
      fmt::format("ipd: configuration from {}, hash {}", config.paths.config_dir, config.hash));

  auto access = ipc::helper_access("ipd", own.heartbeat_user, own.heartbeat_group);
  if (!access) {
    log::crit("ipd cannot start: " + access.error().message);
    return 1;
  }
  const ipc::PeerPolicy& policy = access->policy;
  const std::optional<gid_t>& socket_group = access->socket_group;

  // The socket is made (mkdir, chown) while ipd still may; nothing is read
  // from it before the capabilities are gone.
  const std::string socket_path = config.paths.runtime_dir + "/ipd.sock";
  auto socket = ipd::open_listen_socket(socket_path, socket_group);
  if (!socket) {
    log::crit("ipd cannot start: " + socket.error().message);
    return 1;
  }
  if (const Status st = ipd::drop_privileges(); !st) {
    log::crit("ipd cannot start: " + st.error().message);
    return 1;
  }
  // A peer that vanishes while we write must not kill the daemon.
  std::signal(SIGPIPE, SIG_IGN);

  EventLoop loop;
  ipd::VipServer* server_ptr = nullptr;
  auto controller = ipd::VipController::open(loop, [&server_ptr](const ipd::WatchEvent& e) {
    if (server_ptr != nullptr) server_ptr->on_watch_event(e);
  });
  if (!controller) {
    log::crit("ipd cannot start: " + controller.error().message);
    return 1;
  }
  // ipd holds no state of its own: what a previous ipd added is still
  // configured, and stays so until heartbeatd asks for it to be released.
  if (auto addresses = (*controller)->list()) {
    for (const auto& a : *addresses)
      log::info("address present: " + a.address.to_string() + "/" + std::to_string(a.prefix_len) +
                (a.label.empty() ? "" : " label " + a.label));
  } else {
    log::error("reading the addresses present: " + addresses.error().message);
  }

  ipd::KernelVips backend(**controller);
  ipd::ServerOptions server_options;
  server_options.policy = policy;
  server_options.default_lease = ipd::default_lease_for(config);
  ipd::VipServer server(loop, config, backend, server_options, std::move(socket->fd),
                        [](const std::string& status) { systemd::notify_status(status); });
  server_ptr = &server;
  const log::Fields daemon_fields = {{"VIGIL_DAEMON", "ipd"}, {"VIGIL_NODE", config.local_node}};
  log::Fields started = daemon_fields;
  started.emplace_back("VIGIL_EVENT", "daemon-started");
  log::info(
      fmt::format("ipd started: serving heartbeatd ({}) on {}{}; lease {} ms until it says "
                  "Hello",
                  own.heartbeat_user, socket_path, socket->activated ? " (socket activation)" : "",
                  server_options.default_lease.count()),
      started);
  systemd::notify_ready(server.status_text());

  WatchdogPinger watchdog(loop);  // WatchdogSec= of the unit, if any

  auto on_stop = [&loop, &daemon_fields](int signo) {
    log::Fields stopping = daemon_fields;
    stopping.emplace_back("VIGIL_EVENT", "daemon-stopping");
    log::info(fmt::format("ipd: signal {} received: exiting; virtual IPs stay as they are", signo),
              stopping);
    systemd::notify_stopping();
    loop.stop();
  };
  SignalWatcher term(loop, SIGTERM, on_stop);
  SignalWatcher intr(loop, SIGINT, on_stop);
  SignalWatcher hup(loop, SIGHUP, [](int) { log::reopen(); });
  const Status st = loop.run();
  server_ptr = nullptr;
  log::info("ipd stopped");
  return st ? 0 : 1;
}
