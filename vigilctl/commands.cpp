#include "vigilctl/command.h"

namespace vigil::ctl {

const std::vector<Command>& commands() {
  static const std::vector<Command> kCommands = {
      {"check-config", "check-config [--init-dir DIR] [--ocf-root DIR]",
       "read ha.cf, haresources and authkeys; print warnings and every error, or the normalised "
       "configuration and how each resource runs here (--init-dir, --ocf-root: look there "
       "instead of /etc/init.d, /usr/lib/ocf)",
       run_check_config},
      {"status", "status [--json]",
       "heartbeatd's view: nodes with their status and links, resource groups with home node, "
       "owner and state (--json: one JSON document, fields in vigilctl/README.md)",
       run_status},
      {"events", "events [--json] [--follow] | events --last-failover [--json]",
       "heartbeatd's timeline of the last few hundred cluster events (node and link changes, "
       "decisions, each resource step with its outcome and duration); --follow waits for more; "
       "--last-failover: the last takeover step by step with durations (fields in "
       "vigilctl/README.md)",
       run_events},
      {"metrics", "metrics",
       "heartbeatd's metrics in the Prometheus text format (for node_exporter's textfile "
       "collector; vigil-exporter serves the same on /metrics); every metric in vigil-metrics(7)",
       run_metrics},
      {"standby", "standby [all|foreign|local|failback]",
       "give resources to the peer, as hb_standby (default all; failback = foreign); needs root "
       "or group haclient",
       run_standby},
      {"takeover", "takeover [all|foreign|local|failback]",
       "take resources from the peer, as hb_takeover (default all); needs root or group haclient",
       run_takeover},
      {"failback", "failback",
       "give the foreign resource groups back to their home node (= standby foreign)",
       run_failback},
      {"cleanup", "cleanup",
       "forget resource failure counts; groups given up for failing resources may come back "
       "(vigil.cf health_check); needs root or group haclient",
       run_cleanup},
      {"maintenance", "maintenance on|off [GROUP]",
       "suspend resource checks, restarts in place and give-ups for every group or one, until "
       "`maintenance off`; needs root or group haclient",
       run_maintenance},
      {"cl_status", "cl_status SUB-COMMAND [-m] [-v] [PARAMETERS]",
       "heartbeat's cl_status: hbstatus, listnodes, nodestatus, nodetype, listhblinks, "
       "hblinkstatus, rscstatus; heartbeat's outputs and exit codes (0, 1, 11, 12, 13)",
       run_cl_status},
  };
  return kCommands;
}

}  // namespace vigil::ctl
