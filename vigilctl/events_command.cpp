// vigilctl events [--json] [--follow] | events --last-failover [--json]:
// heartbeatd's event timeline from its control socket (read-only, like
// status), fetched in pages from the oldest kept event.
#include <chrono>
#include <iostream>
#include <thread>

#include "heartbeatd/observe/failover_timeline.h"
#include "vigilctl/command.h"
#include "vigilctl/control_client.h"
#include "vigilctl/events_render.h"

namespace vigil::ctl {

namespace {

namespace msg = proto::control;

constexpr std::chrono::milliseconds kFollowPoll{200};

// Every event after `after_seq`; false (and a message) if heartbeatd did not
// answer.
bool fetch_after(const std::string& socket, std::uint64_t after_seq,
                 std::vector<msg::TimelineEvent>& out) {
  for (;;) {
    const Reply reply = ask(socket, msg::EventsRequest{after_seq});
    if (!reply.ok) {
      std::cerr << "vigilctl events: " << reply.error.message << "\n";
      return false;
    }
    const auto* events = std::get_if<msg::EventsReply>(&reply.message);
    if (events == nullptr) {
      std::cerr << "vigilctl events: heartbeatd answered with the wrong message\n";
      return false;
    }
    // A restarted heartbeatd numbers from 1 again: start over with it.
    if (events->newest_seq < after_seq) {
      after_seq = 0;
      continue;
    }
    out.insert(out.end(), events->events.begin(), events->events.end());
    if (!events->more || events->events.empty()) return true;
    after_seq = events->events.back().seq;
  }
}

void print(std::span<const msg::TimelineEvent> events, bool json) {
  for (const auto& e : events) std::cout << (json ? render_event_json(e) : render_events({&e, 1}));
  std::cout.flush();
}

}  // namespace

int run_events(const conf::CommonOptions& options, const std::vector<std::string>& args) {
  bool json = false, follow = false, last_failover = false;
  for (const auto& a : args) {
    if (a == "--json") {
      json = true;
    } else if (a == "--follow" || a == "-f") {
      follow = true;
    } else if (a == "--last-failover") {
      last_failover = true;
    } else {
      std::cerr << "vigilctl events: unexpected argument [" << a
                << "]; expected: vigilctl events [--json] [--follow] | --last-failover [--json]\n";
      return kExitUsage;
    }
  }
  if (follow && last_failover) {
    std::cerr << "vigilctl events: --follow and --last-failover do not go together\n";
    return kExitUsage;
  }
  const std::string socket = control_socket_path(options.paths);
  std::vector<msg::TimelineEvent> events;
  if (!fetch_after(socket, 0, events)) return kExitFailed;
  if (last_failover) {
    auto f = observe::last_failover(events);
    if (!f) {
      std::cerr << "vigilctl events: no takeover among the " << events.size()
                << " events heartbeatd keeps\n";
      return kExitFailed;
    }
    std::cout << (json ? render_failover_json(*f) : render_failover(*f));
    return kExitOk;
  }
  print(events, json);
  if (!follow) return kExitOk;
  std::uint64_t last = events.empty() ? 0 : events.back().seq;
  for (;;) {
    std::this_thread::sleep_for(kFollowPoll);
    std::vector<msg::TimelineEvent> more;
    if (!fetch_after(socket, last, more)) return kExitFailed;
    if (!more.empty()) last = more.back().seq;
    print(more, json);
  }
}

}  // namespace vigil::ctl
