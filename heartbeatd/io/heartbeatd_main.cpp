// heartbeatd: the membership daemon (architecture.md, Processes and trust).
//
// Start-up order matters for privilege: read the configuration, open the
// log files, start the media (binding udpport needs root or
// CAP_NET_BIND_SERVICE unless systemd passed the sockets), then drop to
// the unprivileged user before the first byte from the network is read.
//
// Then every datagram goes through node::ClusterNode (decode -> verify ->
// engine) and the engine's actions come back out through the same object's
// one executor (heartbeatd/engine/README.md); one timer is re-armed from
// the engine's next deadline.
//
// Under systemd (Type=notify): READY=1 once the media and the control
// socket are up, STATUS= with the node's state (service_status.h) whenever
// it changes, WATCHDOG=1 from the event loop at half WatchdogSec, and
// STOPPING=1 on SIGTERM. SIGTERM is a graceful stop (§6.7), or, when the
// package restarts heartbeatd for an upgrade, an exit that keeps the groups
// (upgrade_restart.h). SIGHUP reopens the classic log files (logrotate)
// and says whether ha.cf/haresources on disk differ from the running ones;
// SIGUSR1/SIGUSR2 raise/lower the debug level (heartbeat-compat.md §2.8).
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/event_loop.h"
#include "common/io_watcher.h"
#include "common/log.h"
#include "common/proto/lease.h"
#include "common/signal_watcher.h"
#include "common/systemd_notify.h"
#include "common/timer.h"
#include "common/watchdog_pinger.h"
#include "conf/load.h"
#include "conf/log_settings.h"
#include "conf/options.h"
#include "conf/ping_nodes.h"
#include "conf/respawn_role.h"
#include "heartbeatd/control/bridge_service.h"
#include "heartbeatd/control/membership_status.h"
#include "heartbeatd/control/ownership_status.h"
#include "heartbeatd/io/corosync_link.h"
#include "heartbeatd/io/corosync_start.h"
#include "heartbeatd/io/icmp_prober.h"
#include "heartbeatd/io/inherited_sockets.h"
#include "heartbeatd/io/log_file_owner.h"
#include "heartbeatd/io/media_set.h"
#include "heartbeatd/io/open_media.h"
#include "heartbeatd/io/privilege.h"
#include "heartbeatd/io/realtime.h"
#include "heartbeatd/io/service_status.h"
#include "heartbeatd/io/upgrade_restart.h"
#include "heartbeatd/node/cluster_node.h"
#include "heartbeatd/node/helper_clients.h"
#include "heartbeatd/node/media_outbox.h"
#include "heartbeatd/observe/timeline_recorder.h"
#include "heartbeatd/state/node_uuid.h"
#include "heartbeatd/state/posix_state_env.h"
#include "heartbeatd/state/sequence_store.h"
#include "vigil_build_config.h"

namespace vigil {
namespace {

constexpr int kExitUsage = 2;
constexpr int kExitConfig = 6;  // LSB: "program is not configured"
constexpr int kExitFailure = 1;
constexpr const char* kDaemon = "heartbeatd";

// Fields of the events catalogued as config-error (log_message_ids.h).
const log::Fields kConfigError = {{"VIGIL_EVENT", "config-error"}, {"VIGIL_DAEMON", kDaemon}};

const char* signal_name(int signo) {
  switch (signo) {
    case SIGTERM:
      return "SIGTERM";
    case SIGINT:
      return "SIGINT";
    default:
      return "signal";
  }
}

struct Options {
  conf::CommonOptions common;
  std::string user;                // --user NAME; empty: io::kDefaultUser
  bool prepare_log_files = false;  // --prepare-log-files (log_file_owner.h)
};

void print_help() {
  std::fputs(
      "Usage: heartbeatd [OPTIONS]\n"
      "The vigil membership daemon: reads ha.cf, haresources and authkeys,\n"
      "exchanges heartbeats with its peers and decides membership.\n\n",
      stdout);
  std::fputs(conf::common_options_help().c_str(), stdout);
  std::fputs(
      "  --user NAME          user to run as after binding the sockets\n"
      "                       (when started as root; default hacluster)\n"
      "  --prepare-log-files  as root: create ha.cf's logfile/debugfile for that\n"
      "                       user and exit (the unit's ExecStartPre=+)\n"
      "  -h, --help           this text\n"
      "  -V, --version        print the version\n",
      stdout);
}

Result<Options> parse_options(int argc, char** argv) {
  auto common = conf::parse_common_options(argc, argv);
  if (!common) return common.error();
  Options o;
  o.common = std::move(*common);
  const auto& rest = o.common.rest;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const std::string_view arg = rest[i];
    if (arg == "--prepare-log-files") {
      o.prepare_log_files = true;
    } else if (arg == "--user") {
      if (i + 1 >= rest.size() || rest[i + 1].empty()) return Error{"--user needs a user name"};
      o.user = rest[++i];
    } else if (arg.starts_with("--user=")) {
      o.user = std::string(arg.substr(7));
      if (o.user.empty()) return Error{"--user needs a user name"};
    } else {
      return Error{fmt::format("unknown argument [{}]", arg)};
    }
  }
  return o;
}

void drain(io::Medium& medium, node::ClusterNode& node) {
  // Bounded, so one flooded link cannot starve the others and the timers.
  for (int i = 0; i < 64; ++i) {
    auto r = medium.receive();
    if (!r) {  // counted and logged at a bounded rate, like any bad packet
      node.on_unreadable(medium.link_name(), r.error().message, MonoClock::now());
      continue;
    }
    if (!*r) return;
    // A socket shared by several interfaces names the arriving link.
    const std::string& link = (*r)->link.empty() ? medium.link_name() : (*r)->link;
    node.on_datagram(link, (*r)->bytes, MonoClock::now(), (*r)->from.host());
  }
}

// The state directory holds the generation and the node UUID; it must
// exist before the store opens it (tmpfiles.d creates it in packages).
Status ensure_directory(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) == 0 || errno == EEXIST) return {};
  return Error{fmt::format("cannot create state directory {}: {}", path, std::strerror(errno))};
}

// SIGHUP, after the log files are reopened. heartbeat rereads ha.cf and
// re-execs itself keeping its resources (§2.8). vigil applies a
// configuration at start only, because ipd and resourced accept a
// heartbeatd only with the configuration hash they loaded themselves; so it
// says whether the files on disk still match, and how to apply them.
void report_configuration_on_disk(conf::LoadOptions options, const std::string& running_hash) {
  // The hash covers ha.cf and haresources only; authkeys (root's 0600 when
  // not started by systemd) is not needed to compare.
  options.read_authkeys = false;
  auto on_disk = conf::load_config(options);
  if (!on_disk) {
    log::error("Configuration on disk is not valid; still running the one loaded at start:",
               kConfigError);
    log::write_lines(log::Priority::kError, on_disk.error().message, kConfigError);
    return;
  }
  if (on_disk->config.hash == running_hash) {
    log::info("Configuration unchanged.");
    return;
  }
  log::warn(
      "Configuration changed on disk; it takes effect when vigil restarts "
      "(systemctl restart vigil.target: the groups go to the peer and come back)",
      {{"VIGIL_EVENT", "config-changed"}, {"VIGIL_DAEMON", kDaemon}});
}

// ha.cf's logfile/debugfile for the unprivileged user (log_file_owner.h).
// Never fails the start: heartbeatd then logs to the journal alone, and
// says why.
int prepare_log_files(const Options& options) {
  conf::LoadOptions load_options{options.common.paths, options.common.node_name};
  load_options.read_authkeys = false;
  auto loaded = conf::load_config(load_options);
  if (!loaded) return 0;  // heartbeatd itself reports the errors, one per line
  auto user = io::lookup_user(options.user.empty() ? std::string(io::kDefaultUser) : options.user);
  if (!user) {
    std::fprintf(stderr, "heartbeatd: %s\n", user.error().message.c_str());
    return 0;
  }
  const auto prepared = io::prepare_log_files(loaded->config.ha_cf, *user, true);
  for (const auto& line : prepared.done) std::printf("heartbeatd: %s\n", line.c_str());
  for (const auto& line : prepared.problems) std::fprintf(stderr, "heartbeatd: %s\n", line.c_str());
  return 0;
}

int run(const Options& options) {
  conf::LoadOptions load_options{options.common.paths, options.common.node_name};
  // Under systemd authkeys (root:root 0600) reaches us as a credential
  // (LoadCredential=authkeys:/etc/ha.d/authkeys): a private 0400 copy.
  if (const char* creds = std::getenv("CREDENTIALS_DIRECTORY"); creds && *creds)
    load_options.authkeys_path = std::string(creds) + "/authkeys";
  auto loaded = conf::load_config(load_options);
  if (!loaded) {
    // One line per error, as check-config prints them.
    log::write_lines(log::Priority::kError, loaded.error().message, kConfigError);
    return kExitConfig;
  }
  const conf::Config& config = loaded->config;
  // Started as root by hand: hand the log files to the user we become, so
  // that reopening them after logrotate works too (log_file_owner.h).
  std::vector<std::string> log_file_problems;
  if (::geteuid() == 0)
    if (auto user =
            io::lookup_user(options.user.empty() ? std::string(io::kDefaultUser) : options.user))
      log_file_problems = io::prepare_log_files(config.ha_cf, *user, false).problems;
  if (auto s = log::init(conf::log_settings(config.ha_cf, "heartbeat")); !s) {
    log::error(s.error().message, kConfigError);
    return kExitConfig;
  }
  for (const auto& w : loaded->warnings) log::warn(w);
  for (const auto& p : log_file_problems) log::warn(p);
  log::info("**************************");
  log::info(fmt::format("Configuration validated. Starting heartbeat (vigil {})", VIGIL_VERSION));

  // The generation is decided (and made durable) before anything is sent.
  // A restart within half the deadtime continues the generation, so peers
  // see no node restart (heartbeatd/state/sequence_store.h).
  if (auto s = ensure_directory(options.common.paths.state_dir); !s) {
    log::error(s.error().message);
    return kExitFailure;
  }
  state::PosixStateEnv state_env(options.common.paths.state_dir);
  // At short keepalives one write of the seq record covers several sends
  // (sequence_reservation.h).
  const Duration continuation_window = config.ha_cf.deadtime / 2;
  auto store = state::SequenceStore::open(
      state_env, continuation_window,
      state::reservation_policy(continuation_window, config.ha_cf.keepalive));
  if (!store) {
    log::error(store.error().message);
    return kExitFailure;
  }
  const state::SequenceStart& seq_start = store->start();
  if (seq_start.generation_seeded)
    log::warn(fmt::format("No Previous generation - starting at {}", seq_start.generation));
  log::info(fmt::format("Heartbeat generation: {}{}", seq_start.generation,
                        seq_start.continued ? " (continued after a short restart)" : ""));
  auto uuid = state::load_or_create_node_uuid(state_env);
  if (!uuid) {
    log::error(uuid.error().message);
    return kExitFailure;
  }

  auto inherited = io::take_inherited_sockets();
  if (!inherited) {
    log::error(inherited.error().message);
    return kExitFailure;
  }
  const bool use_corosync = config.vigil_cf.membership == conf::VigilCf::Membership::kCorosync;
  std::vector<std::unique_ptr<io::Medium>> opened_media;
  if (!use_corosync) {
    auto opened = io::open_media(config.ha_cf, *inherited);
    if (!opened) {
      log::error(opened.error().message);
      return kExitFailure;
    }
    if (opened->empty()) {
      log::error("no bcast, ucast, mcast, ucast6 or mcast6 medium in ha.cf", kConfigError);
      return kExitConfig;
    }
    opened_media = std::move(*opened);
  }

  // Bound while we may still be root: the runtime directory may be root's.
  auto control_fd = control::open_control_socket(options.common.paths.runtime_dir, *inherited);
  auto status_fd = control::open_status_socket(options.common.paths.runtime_dir, *inherited);
  // Before the drop: started by hand as root it needs no limit; under the
  // unit (User=hacluster) the unit's LimitRTPRIO=/LimitMEMLOCK= decide.
  // The policy and the locked pages survive the change of user.
  io::apply_realtime(config.ha_cf.realtime, config.ha_cf.rtprio);
  if (auto s = io::drop_privileges(options.user); !s) {
    log::error(s.error().message);
    return kExitFailure;
  }

  // The ping nodes' ICMP datagram sockets, opened as the unprivileged
  // user: what works here works for the packaged daemon (icmp_prober.h).
  auto prober = io::IcmpProber::open(conf::ping_nodes(config.ha_cf));
  if (!prober) {
    log::error(prober.error().message, kConfigError);
    return kExitFailure;
  }
  // vigil.cf `membership corosync`: corosync's CPG group is the one
  // medium, opened as hacluster (corosync's uidgid.d lets it in), and
  // ha.cf's media lines are not opened (heartbeatd/io/corosync_link.h).
  io::CorosyncLink* corosync = nullptr;
  // Well inside the unit's TimeoutStartSec=90s (corosync_start.h).
  constexpr Duration kCorosyncWait = std::chrono::seconds(60);
  if (use_corosync) {
    auto link = io::open_corosync_waiting(config.vigil_cf.corosync_group, kCorosyncWait);
    if (!link) {
      log::error(link.error().message);
      return kExitFailure;
    }
    corosync = link->get();
    opened_media.push_back(std::move(*link));
  }
  io::MediaSet media(std::move(opened_media));

  EventLoop loop;
  node::MediaOutbox outbox(media, *store);
  outbox.set_prober(&*prober);

  // The root helpers (RUNTIME_DIR/{ipd,resourced}.sock). The lease is
  // proto::default_lease (lease.h): a dead heartbeatd's resources are
  // released before a peer declares it dead and takes them over.
  const auto lease_ms = static_cast<std::uint32_t>(
      proto::default_lease(
          std::chrono::duration_cast<std::chrono::milliseconds>(config.ha_cf.deadtime))
          .count());
  const std::string& runtime_dir = options.common.paths.runtime_dir;
  helpers::IpdClient ipd(loop, {runtime_dir + "/ipd.sock", config.hash, lease_ms});
  helpers::ResourcedClient resourced(loop,
                                     {runtime_dir + "/resourced.sock", config.hash, lease_ms});
  node::HelperClients helper_clients(ipd, resourced);
  // ha.cf's respawn programs run on resourced, the privileged side, as
  // heartbeat ran them (resourced/respawn_supervisor.h); heartbeatd only
  // names them, on every connection.
  const std::vector<std::uint16_t> respawned = conf::respawn_entries_to_run(config.ha_cf);
  resourced.keep_respawned(respawned);
  // ha.cf `watchdog`: resourced holds the device; this loop's keep-alives,
  // one per keepalive, are what it writes (resourced/watchdog_device.h).
  if (config.ha_cf.watchdog) resourced.keep_watchdog(config.ha_cf.keepalive);

  // No groups, no respawn lines and no notify hook (vigil.cf): no
  // resourced, so rc.d event scripts do not run either.
  const bool resourced_used = !config.groups.empty() || !respawned.empty() ||
                              config.vigil_cf.notify_hook.has_value() ||
                              config.ha_cf.watchdog.has_value();

  // The engine (membership, ownership, the start-up survey, the guard, the
  // cluster events for rc.d scripts and the notify hook) inside its one
  // executor. Declared after the helper clients, so it is destroyed first,
  // with the loop stopped: no answer reaches it after.
  engine::EngineParams params;
  params.core.generation = seq_start.generation;
  params.core.first_seq = seq_start.first_seq;
  params.core.resumed = seq_start.continued;
  params.core.rng_seed = static_cast<std::uint64_t>(getpid()) ^
                         static_cast<std::uint64_t>(MonoClock::now().time_since_epoch().count());
  params.generation = seq_start.continued ? engine::ResourceEngine::Generation::kContinued
                                          : engine::ResourceEngine::Generation::kNew;
  params.forward_events = resourced_used;
  params.core.external_membership = use_corosync;
  // A peer's heartbeatd gone while its corosync runs: its helpers keep its
  // groups for the lease, so the peers wait that long (core.h).
  params.core.leave_grace = std::chrono::milliseconds(lease_ms);
  params.quorum_required = use_corosync;
  node::ClusterNode node(config, *uuid, params, outbox, helper_clients,
                         [] { return MonoClock::now(); });
  if (!config.groups.empty()) ipd.start();  // no haresources groups: no ipd needed
  if (resourced_used) resourced.start();
  // `vigilctl events`: every executed Log action and resource step
  // (heartbeatd/observe/timeline_recorder.h).
  observe::EventTimeline timeline;
  observe::TimelineRecorder recorder(config, timeline, [&node](std::string_view name) {
    return observe::last_heard(node.core().snapshot(), name);
  });
  node.set_observer(&recorder);
  // vigilctl, cl_status, hb_standby, hb_takeover (heartbeatd/control/).
  auto control_service = control::start_bridge_control_service(
      loop, std::move(control_fd), config, node, timeline,
      {{"ipd", &ipd}, {"resourced", &resourced}}, std::move(status_fd));

  // systemd's STATUS= line: what `vigilctl status` shows, in one line,
  // sent again only when it changes.
  bool stopping = false;
  std::string sent_status;
  auto status_line = [&] {
    std::string line = io::service_status_line(control::node_status(config, node));
    return stopping ? "stopping: " + line : line;
  };
  auto publish_status = [&] {
    if (!systemd::notify_available()) return;
    std::string line = status_line();
    if (line == sent_status) return;
    systemd::notify_status(line);
    sent_status = std::move(line);
  };

  // One timer, always armed at the engine's next deadline. Every batch of
  // work ends here, so the status line is refreshed here too.
  std::function<void()> on_tick;
  Timer tick(loop, [&] { on_tick(); });
  auto rearm = [&] {
    if (auto d = node.next_deadline()) tick.arm_at(*d);
    publish_status();
  };
  on_tick = [&] {
    node.on_tick(MonoClock::now());
    rearm();
  };
  node.set_on_change([&] { rearm(); });

  std::vector<std::unique_ptr<IoWatcher>> watchers;
  int exit_code = 0;
  // corosync's events, in the order the ring sequencer releases them
  // (ring_sequencer.h); a quorum notification that never comes is asked
  // for after kQuorumWait.
  constexpr Duration kQuorumWait = std::chrono::seconds(2);
  std::function<void()> on_quorum_wait;
  Timer quorum_wait(loop, [&] { on_quorum_wait(); });
  std::function<void()> pump_corosync = [&] {
    for (auto& e : corosync->events()) {
      const MonoTime now = MonoClock::now();
      if (auto* d = std::get_if<io::CorosyncLink::Delivery>(&e)) {
        node.on_datagram(io::CorosyncLink::kLinkName, d->bytes, now, d->from);
      } else if (auto* m = std::get_if<io::CorosyncLink::Members>(&e)) {
        for (auto id : m->unnamed)
          log::warn(
              fmt::format("corosync node {} is in the CPG group but has no name in "
                          "corosync's nodelist: ignored",
                          id));
        node.handle(engine::MembershipChange{m->names, m->quorate, m->in_ring}, now);
      } else {
        node.handle(engine::QuorumChange{std::get<io::CorosyncLink::Quorum>(e).quorate}, now);
      }
    }
    if (corosync->waiting()) {
      if (!quorum_wait.armed()) quorum_wait.arm_at(MonoClock::now() + kQuorumWait);
    } else {
      quorum_wait.cancel();
    }
    rearm();
  };
  auto corosync_failed = [&](const Status& s) {
    if (s) return false;
    log::error(s.error().message + ": heartbeatd stops (the helpers' lease releases the groups)");
    exit_code = kExitFailure;
    loop.stop();
    return true;
  };
  if (corosync != nullptr) {
    on_quorum_wait = [&] {
      log::warn("corosync: no quorum notification for the new membership; asking corosync");
      if (!corosync_failed(corosync->give_up_waiting())) pump_corosync();
    };
    watchers.push_back(std::make_unique<IoWatcher>(loop, corosync->receive_fd(),
                                                   IoWatcher::Interest::kRead, [&](IoReady) {
                                                     if (!corosync_failed(corosync->dispatch_cpg()))
                                                       pump_corosync();
                                                   }));
    watchers.back()->start();
    watchers.push_back(std::make_unique<IoWatcher>(
        loop, corosync->quorum_fd(), IoWatcher::Interest::kRead, [&](IoReady) {
          if (!corosync_failed(corosync->dispatch_quorum())) pump_corosync();
        }));
    watchers.back()->start();
  }
  for (const auto& m : media.media()) {
    if (m.get() == corosync) continue;
    io::Medium* medium = m.get();
    watchers.push_back(std::make_unique<IoWatcher>(
        loop, medium->receive_fd(), IoWatcher::Interest::kRead, [medium, &node, &rearm](IoReady) {
          drain(*medium, node);
          rearm();
        }));
    watchers.back()->start();
  }
  for (int fd : prober->fds()) {
    io::IcmpProber* p = &*prober;
    watchers.push_back(std::make_unique<IoWatcher>(
        loop, fd, IoWatcher::Interest::kRead, [p, fd, &node, &rearm](IoReady) {
          // Bounded like drain(): a flood of replies cannot hold the loop.
          for (int i = 0; i < 64; ++i) {
            auto reply = p->receive(fd);
            if (!reply) break;
            node.on_datagram(reply->node, reply->payload, MonoClock::now(), reply->from);
          }
          rearm();
        }));
    watchers.back()->start();
  }
  node.start(MonoClock::now());
  rearm();
  // §6.7: graceful shutdown. The ownership module gives up our groups,
  // sends `shutdone` and logs heartbeat's lines; we exit on
  // ShutdownComplete, or after kShutdownWait if a helper never answers
  // (the helpers' lease then releases what is left). A second signal
  // stops at once.
  constexpr Duration kShutdownWait = std::chrono::seconds(60);
  Timer shutdown_deadline(loop, [&loop] {
    log::warn("Graceful shutdown did not complete in time; exiting");
    loop.stop();
  });
  bool said_goodbye = false;  // `shutdone` sent: peers count us as gone
  node.set_on_shutdown_complete([&loop, &said_goodbye] {
    said_goodbye = true;
    loop.stop();
  });
  bool restarting_for_upgrade = false;
  auto stop = [&](int signo) {
    if (stopping) {
      loop.stop();
      return;
    }
    stopping = true;
    if (io::upgrade_restart_requested(runtime_dir, getpid())) {
      restarting_for_upgrade = true;
      // The package restarts us onto a new binary (upgrade_restart.h):
      // no goodbye, so peers see a gap and the next heartbeatd continues
      // this generation; the helpers keep the groups for the lease.
      log::info(fmt::format("{} received: restarting for a package upgrade; keeping the groups "
                            "(the helpers hold them for {} ms)",
                            signal_name(signo), lease_ms),
                {{"VIGIL_EVENT", "daemon-upgrade-restart"},
                 {"VIGIL_DAEMON", kDaemon},
                 {"VIGIL_NODE", config.local_node}});
      systemd::notify_stopping();
      loop.stop();
      return;
    }
    log::info(fmt::format("{} received: shutting down", signal_name(signo)),
              {{"VIGIL_EVENT", "daemon-stopping"},
               {"VIGIL_DAEMON", kDaemon},
               {"VIGIL_NODE", config.local_node}});
    systemd::notify_stopping();
    resourced.stop_respawned();  // heartbeat stops its clients first (§2.4 respawn)
    // A graceful stop is no hang: the machine must not reset while (or
    // after) the groups are released.
    resourced.stop_watchdog();
    shutdown_deadline.arm_at(MonoClock::now() + kShutdownWait);
    node.handle(engine::Shutdown{static_cast<long>(getpid())}, MonoClock::now());
    rearm();
  };
  SignalWatcher on_term(loop, SIGTERM, stop);
  SignalWatcher on_int(loop, SIGINT, stop);
  // logrotate's postrotate (packaging/logrotate/vigil), and heartbeat's
  // `reload`: see report_configuration_on_disk.
  SignalWatcher on_hup(loop, SIGHUP, [&](int) {
    log::reopen();
    log::info("SIGHUP: log files reopened");
    report_configuration_on_disk(load_options, config.hash);
  });
  auto change_debug = [](int delta) {
    log::set_debug_level(log::debug_level() + delta);
    log::info(fmt::format("debug level now {}", log::debug_level()));
  };
  SignalWatcher on_usr1(loop, SIGUSR1, [&](int) { change_debug(+1); });
  SignalWatcher on_usr2(loop, SIGUSR2, [&](int) { change_debug(-1); });

  WatchdogPinger watchdog(loop);  // WatchdogSec= of the unit, if any

  sent_status = status_line();
  log::info(fmt::format("heartbeatd (vigil {}) ready on {}: {} {} up", VIGIL_VERSION,
                        config.local_node, media.size(), media.size() == 1 ? "medium" : "media"),
            {{"VIGIL_EVENT", "daemon-started"},
             {"VIGIL_DAEMON", kDaemon},
             {"VIGIL_NODE", config.local_node}});
  systemd::notify_ready(sent_status);
  if (auto s = loop.run(); !s) {
    log::error(s.error().message);
    return kExitFailure;
  }
  watchers.clear();
  if (exit_code != 0) return exit_code;
  // Peers took our `shutdone` as goodbye: the next start must be a new
  // generation however soon it comes (sequence_store.h).
  if (said_goodbye)
    if (auto s = store->end_generation(); !s) log::warn(s.error().message);
  // heartbeat's line means the groups were given up: not said when kept.
  if (!restarting_for_upgrade)
    log::info(fmt::format("{} Heartbeat shutdown complete.", config.local_node));
  return 0;
}

}  // namespace
}  // namespace vigil

int main(int argc, char** argv) {
  auto options = vigil::parse_options(argc, argv);
  if (!options) {
    std::fprintf(stderr, "heartbeatd: %s\nTry 'heartbeatd --help'.\n",
                 options.error().message.c_str());
    return vigil::kExitUsage;
  }
  if (options->common.help) {
    vigil::print_help();
    return 0;
  }
  if (options->common.version) {
    std::printf("heartbeatd (vigil) %s\n%s\n", VIGIL_VERSION, vigil::io::features_line().c_str());
    return 0;
  }
  if (options->prepare_log_files) return vigil::prepare_log_files(*options);
  return vigil::run(*options);
}
