// resourced: runs the resource agents named in haresources, as root, on
// heartbeatd's behalf (architecture.md "Processes and trust"). It loads
// the configuration itself, serves heartbeatd on RUNTIME_DIR/resourced.sock
// (server.h) and keeps what it started only while heartbeatd holds the
// lease.
//
// No PR_SET_NO_NEW_PRIVS here, unlike ipd: resourced exists to run the
// administrator's scripts as heartbeat did, and those legitimately exec
// setuid/setcap helpers (sudo, su to a service user, ping, mount.nfs...);
// no_new_privs is inherited across fork and exec and would break them
// silently. What heartbeatd can make resourced do is bounded by the
// closed vocabulary and the permits instead.
//
// SIGTERM/SIGINT: stop serving and exit without touching the resources —
// whether they stop is heartbeatd's decision; agents already running keep
// running, and a request they were serving is re-sent by heartbeatd to
// the next resourced.
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include "common/event_loop.h"
#include "common/ipc/helper_access.h"
#include "common/log.h"
#include "common/signal_watcher.h"
#include "common/systemd_notify.h"
#include "common/watchdog_pinger.h"
#include "conf/helper_options.h"
#include "conf/load.h"
#include "conf/log_settings.h"
#include "conf/options.h"
#include "resourced/agent.h"
#include "resourced/agent_description.h"
#include "resourced/agent_environment.h"
#include "resourced/event_hooks.h"
#include "resourced/file_system.h"
#include "resourced/heartbeat_leftovers.h"
#include "resourced/launch_strategy.h"
#include "resourced/listen_socket.h"
#include "resourced/server.h"
#include "vigil_build_config.h"

namespace {

using namespace vigil;

void print_help() {
  std::string text =
      "Usage: resourced [OPTIONS]\n"
      "Runs the resource scripts, OCF agents and systemd units named in haresources\n"
      "on behalf of heartbeatd. Must run as root.\n"
      "\n"
      "  --heartbeat-user NAME   the user heartbeatd runs as; only it and root may\n"
      "                          connect (default hacluster)\n"
      "  --heartbeat-group NAME  group of RUNTIME_DIR/resourced.sock (default the\n"
      "                          primary group of the heartbeat user)\n"
      "  --drbdadm PATH          the drbdadm run to outdate a DRBD resource when the\n"
      "                          peer's fence-peer handler asks (default /sbin/drbdadm)\n"
      "  --fence-agent-dir DIR   where the fence agents of vigil.cf's fence_agent lines\n"
      "                          are (default /usr/sbin; tests use their own)\n";
  text += vigil::conf::common_options_help();
  std::fputs(text.c_str(), stdout);
}

}  // namespace

int main(int argc, char** argv) {
  auto options = conf::parse_common_options(argc, argv);
  if (!options) {
    std::fprintf(stderr, "resourced: %s\n", options.error().message.c_str());
    return 2;
  }
  if (options->help) {
    print_help();
    return 0;
  }
  if (options->version) {
    std::printf("resourced (vigil) %s\n", VIGIL_VERSION);
    return 0;
  }
  auto parsed_own = conf::parse_helper_options(options->rest, "resourced");
  if (!parsed_own) {
    std::fprintf(stderr, "resourced: %s\n", parsed_own.error().message.c_str());
    return 2;
  }
  const conf::HelperOptions& own = *parsed_own;
  if (::geteuid() != 0) {
    std::fprintf(stderr,
                 "resourced: must run as root: it starts and stops the resources of haresources "
                 "(running as uid %u)\n",
                 static_cast<unsigned>(::geteuid()));
    return 1;
  }

  // A root helper never signs or verifies a packet: it does not read the
  // keys (conf/load.h), so it runs without access to authkeys.
  conf::LoadOptions load_options{options->paths, options->node_name};
  load_options.read_authkeys = false;
  auto loaded = conf::load_config(load_options);
  if (!loaded) {
    const log::Fields fields = {{"VIGIL_EVENT", "config-error"}, {"VIGIL_DAEMON", "resourced"}};
    log::error("resourced: configuration errors:", fields);
    log::write_lines(log::Priority::kError, loaded.error().message, fields);
    return 1;
  }
  const conf::Config config = std::move(loaded->config);
  if (auto s = log::init(conf::log_settings(config.ha_cf, "resourced")); !s)
    log::warn(fmt::format("resourced: {}", s.error().message));
  for (const auto& w : loaded->warnings) log::warn(w);

  auto access = ipc::helper_access("resourced", own.heartbeat_user, own.heartbeat_group);
  if (!access) {
    log::error("resourced: " + access.error().message);
    return 1;
  }
  const ipc::PeerPolicy& policy = access->policy;
  const std::optional<gid_t>& socket_group = access->socket_group;

  // A peer that vanishes while we write must not kill the daemon.
  ::signal(SIGPIPE, SIG_IGN);

  const resourced::RealFileSystem fs;
  resourced::ServerOptions server_options;
  server_options.policy = policy;
  server_options.dirs = resourced::default_agent_dirs(config.paths.config_dir);
  server_options.runner = resourced::runner_options_for(config, server_options.dirs,
                                                        resourced::detect_launch_strategy(fs));
  server_options.default_lease = resourced::default_lease_for(config);
  if (own.drbdadm) server_options.drbdadm = *own.drbdadm;
  if (own.fence_agent_dir) server_options.fence_agent_dir = *own.fence_agent_dir;
  // What each configured resource will run, once at start, as vigilctl
  // check-config prints it (the same lookup runs again per action).
  const resourced::HeartbeatLeftovers leftovers =
      resourced::survey_heartbeat_leftovers(server_options.dirs.resource_d, fs);
  log::info("resourced: " +
            resourced::describe_heartbeat_leftovers(leftovers, server_options.dirs.resource_d));
  for (const conf::ResourceGroup& g : config.groups)
    for (const conf::Resource& r : g.resources) {
      if (r.is_ip()) continue;  // ipd's
      auto call = resourced::resolve_agent(r, g.key(), server_options.dirs, fs);
      if (!call) {
        log::warn(fmt::format("resourced: {} resolves to nothing on this machine: {}", r.text,
                              call.error().message),
                  {{"VIGIL_GROUP", g.key()}});
        continue;
      }
      log::info(fmt::format("resourced: {} -> {}", r.text, resourced::describe_agent_call(*call)),
                {{"VIGIL_GROUP", g.key()}});
      if (auto w = resourced::hto_mapfuncs_warning(*call, leftovers.hto_mapfuncs, fs))
        log::warn("resourced: " + *w, {{"VIGIL_GROUP", g.key()}});
    }
  log::info(fmt::format("resourced: agents run {}",
                        server_options.runner.strategy == resourced::LaunchStrategy::kSystemdScope
                            ? "in transient systemd scopes"
                            : "in their own sessions (plain fork)"));

  const std::string socket_path = config.paths.runtime_dir + "/resourced.sock";
  auto socket = resourced::open_listen_socket(socket_path, socket_group);
  if (!socket) {
    log::error(fmt::format("resourced: {}", socket.error().message));
    return 1;
  }

  // Agents write their output to files, not to pipes that die with us
  // (agent_executor.h, "Output files").
  const std::string output_dir = config.paths.runtime_dir + "/agents";
  if (::mkdir(output_dir.c_str(), 0700) == 0 || errno == EEXIST)
    server_options.runner.output_dir = output_dir;
  else
    log::warn(fmt::format("resourced: cannot create {}: {}; agent output goes through pipes",
                          output_dir, std::strerror(errno)));

  EventLoop loop;
  // rc.d event scripts (heartbeat-compat.md §6.9), found here, once, as
  // heartbeat listed rc.d once; heartbeatd only names the event.
  resourced::EventHooksOptions hook_options;
  hook_options.environment = server_options.runner.environment;
  hook_options.output_dir = server_options.runner.output_dir;
  const std::string rc_d = config.paths.config_dir + "/rc.d";
  hook_options.scripts = resourced::survey_event_scripts(rc_d, fs);
  log::info("resourced: " + resourced::describe_event_scripts(hook_options.scripts, rc_d));
  hook_options.script_timeout = config.vigil_cf.rc_script_timeout;
  if (config.vigil_cf.notify_hook) {
    // vigil.cf's hook: a name in notify.d, never a path from anyone else.
    resourced::NotifyOptions notify;
    notify.hook_path = config.paths.config_dir + "/notify.d/" + *config.vigil_cf.notify_hook;
    notify.environment = server_options.runner.environment;
    notify.timeout = config.vigil_cf.notify_timeout;
    notify.retry_max = config.vigil_cf.notify_retry_max;
    notify.output_dir = server_options.runner.output_dir;
    const std::string spool = config.paths.state_dir + "/notify";
    auto delivery = resourced::NotifyDelivery::open(loop, std::move(notify), spool);
    if (!delivery) {
      log::error("resourced: notify hook: " + delivery.error().message);
      return 1;
    }
    hook_options.notify = std::move(*delivery);
    log::info(fmt::format("resourced: notify hook {}/notify.d/{}, spool {}",
                          config.paths.config_dir, *config.vigil_cf.notify_hook, spool));
  }
  resourced::EventHooks hooks(loop, std::move(hook_options));
  server_options.on_event = [&hooks](proto::ClusterEvent event,
                                     const std::vector<proto::EventField>& fields) {
    return hooks.on_event(event, fields);
  };
  resourced::ResourceServer server(
      loop, config, server_options, std::move(socket->fd),
      [](const std::string& status) { systemd::notify_status(status); });
  const log::Fields daemon_fields = {{"VIGIL_DAEMON", "resourced"},
                                     {"VIGIL_NODE", config.local_node}};
  log::Fields started = daemon_fields;
  started.emplace_back("VIGIL_EVENT", "daemon-started");
  log::info(
      fmt::format("resourced: serving heartbeatd ({}) on {}{}; lease {} ms until it says "
                  "Hello",
                  own.heartbeat_user, socket_path, socket->activated ? " (socket activation)" : "",
                  server_options.default_lease.count()),
      started);
  systemd::notify_ready(server.status_text());

  WatchdogPinger watchdog(loop);  // WatchdogSec= of the unit, if any

  auto on_stop = [&](int signo) {
    log::Fields stopping = daemon_fields;
    stopping.emplace_back("VIGIL_EVENT", "daemon-stopping");
    log::info(
        fmt::format("resourced: signal {} received: exiting; resources stay as they are", signo),
        stopping);
    systemd::notify_stopping();
    loop.stop();
  };
  SignalWatcher sigterm(loop, SIGTERM, on_stop);
  SignalWatcher sigint(loop, SIGINT, on_stop);
  SignalWatcher sighup(loop, SIGHUP, [](int) { log::reopen(); });

  if (auto s = loop.run(); !s) {
    log::error(fmt::format("resourced: event loop: {}", s.error().message));
    return 1;
  }
  return 0;
}
