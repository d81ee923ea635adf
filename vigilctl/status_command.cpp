// vigilctl status [--json]: heartbeatd's view of the cluster, from its
// control socket (readable by root, heartbeatd's user and groups haclient
// and haclient-ro). First the answer at a glance (status_glance.h): health,
// problems, who holds each group since when; then the full table.
#include <chrono>
#include <iostream>

#include "vigilctl/command.h"
#include "vigilctl/control_client.h"
#include "vigilctl/status_glance.h"
#include "vigilctl/status_render.h"

namespace vigil::ctl {

int run_status(const conf::CommonOptions& options, const std::vector<std::string>& args) {
  bool json = false;
  for (const auto& a : args) {
    if (a == "--json") {
      json = true;
    } else {
      std::cerr << "vigilctl status: unexpected argument [" << a
                << "]; expected: vigilctl status [--json]\n";
      return kExitUsage;
    }
  }
  const Reply reply = ask(control_socket_path(options.paths), proto::control::StatusRequest{});
  if (!reply.ok) {
    std::cerr << "vigilctl status: " << reply.error.message << "\n";
    return kExitFailed;
  }
  const auto* status = std::get_if<proto::control::StatusReply>(&reply.message);
  if (status == nullptr) {
    std::cerr << "vigilctl status: heartbeatd answered with the wrong message\n";
    return kExitFailed;
  }
  const Health health = assess(*status);
  if (json) {
    std::cout << render_status_json(*status, &health);
    return kExitOk;
  }
  // "Since when" comes from the event timeline; a heartbeatd that cannot
  // say (or an older one) leaves it out.
  Since since;
  const Reply events = ask(control_socket_path(options.paths), proto::control::EventsRequest{0});
  std::vector<proto::control::TimelineEvent> kept;
  if (events.ok)
    if (const auto* e = std::get_if<proto::control::EventsReply>(&events.message)) {
      kept = e->events;
      // The first page holds the oldest events; the rest for the latest changes.
      std::uint64_t after = kept.empty() ? 0 : kept.back().seq;
      for (bool more = e->more; more;) {
        const Reply next =
            ask(control_socket_path(options.paths), proto::control::EventsRequest{after});
        const auto* n = next.ok ? std::get_if<proto::control::EventsReply>(&next.message) : nullptr;
        if (n == nullptr || n->events.empty()) break;
        kept.insert(kept.end(), n->events.begin(), n->events.end());
        after = n->events.back().seq;
        more = n->more;
      }
      since = since_from(kept);
    }
  const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  std::cout << render_glance(*status, health, since, now) << "\n" << render_status_table(*status);
  return kExitOk;
}

}  // namespace vigil::ctl
