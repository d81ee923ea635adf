// vip_tool: drives the ipd library directly, without ipd's IPC server in
// between, so the netlink and announcement code is tested on its own in a
// namespace (and an admin can debug one). Keeps only CAP_NET_ADMIN and
// CAP_NET_RAW, as ipd does.
//
//   vip_tool list
//   vip_tool add TOKEN [--count N] [--interval-ms MS] [--hold]
//   vip_tool remove TOKEN
//   vip_tool watch TOKEN...
//
// TOKEN is a haresources IP entry (10.0.0.5/24/eth1, IPaddr2::..., IPv6addr::...).
// add waits for its announcements to go out; with --hold it then keeps
// watching the VIP like watch. watch prints one event per line until SIGTERM.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "common/signal_watcher.h"
#include "conf/haresources.h"
#include "ipd/privileges.h"
#include "ipd/vip_controller.h"

using namespace vigil;

namespace {

int usage() {
  std::fprintf(stderr,
               "usage: vip_tool list\n"
               "       vip_tool add TOKEN [--count N] [--interval-ms MS] [--hold]\n"
               "       vip_tool remove TOKEN\n"
               "       vip_tool watch TOKEN...\n");
  return 2;
}

void say(const std::string& line) {
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

int fail(const std::string& what) {
  std::fprintf(stderr, "vip_tool: %s\n", what.c_str());
  return 1;
}

Result<ipd::ResolvedVip> resolve(ipd::VipController& c, const std::string& token) {
  auto resource = conf::parse_resource(token);
  if (!resource) return resource.error();
  if (!resource->is_ip()) return Error{token + " is not an IP resource"};
  return c.resolve(*resource);
}

std::string describe(const ipd::ResolvedVip& v) {
  std::string s = v.describe();
  if (v.broadcast) s += " brd " + v.broadcast->to_string();
  if (!v.label.empty()) s += " label " + v.label;
  return s;
}

int list(ipd::VipController& c) {
  auto state = c.kernel_state();
  if (!state) return fail(state.error().message);
  for (const auto& a : state->addresses) {
    const auto* link = state->find_link(a.ifindex);
    std::string line = (link ? link->name : std::to_string(a.ifindex)) + " " +
                       a.address.to_string() + "/" + std::to_string(a.prefix_len);
    if (a.broadcast) line += " brd " + a.broadcast->to_string();
    if (!a.label.empty()) line += " label " + a.label;
    char flags[16];
    std::snprintf(flags, sizeof flags, "0x%x", a.flags);
    say(line + " flags " + flags);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage();
  const std::string command = args[0];

  if (const Status st = ipd::drop_privileges(); !st) return fail(st.error().message);

  EventLoop loop;
  auto controller = ipd::VipController::open(
      loop, [](const ipd::WatchEvent& e) { say("event " + e.describe()); });
  if (!controller) return fail(controller.error().message);
  ipd::VipController& c = **controller;
  SignalWatcher term(loop, SIGTERM, [&loop](int) { loop.stop(); });
  SignalWatcher intr(loop, SIGINT, [&loop](int) { loop.stop(); });

  if (command == "list" && args.size() == 1) return list(c);

  if (command == "add" && args.size() >= 2) {
    auto vip = resolve(c, args[1]);
    if (!vip) return fail(vip.error().message);
    bool hold = false;
    for (std::size_t i = 2; i < args.size(); ++i) {
      if (args[i] == "--hold") {
        hold = true;
      } else if (args[i] == "--count" && i + 1 < args.size()) {
        vip->announcement.count = std::atoi(args[++i].c_str());
      } else if (args[i] == "--interval-ms" && i + 1 < args.size()) {
        vip->announcement.interval = std::chrono::milliseconds(std::atoi(args[++i].c_str()));
      } else {
        return usage();
      }
    }
    auto outcome = c.acquire(*vip);
    if (!outcome) return fail(outcome.error().message);
    say(std::string(*outcome == ipd::AddOutcome::kAdded ? "added " : "present ") + describe(*vip));
    if (!hold) {
      c.announcer().set_on_idle([&loop] { loop.stop(); });
      if (c.announcer().active() > 0) (void)loop.run();
      say("announced " + std::to_string(c.announcer().frames_sent()) + " frames, " +
          std::to_string(c.announcer().frames_failed()) + " failed");
      return 0;
    }
    say("holding");
    (void)loop.run();
    return 0;
  }

  if (command == "remove" && args.size() == 2) {
    auto vip = resolve(c, args[1]);
    if (!vip) return fail(vip.error().message);
    auto outcome = c.release(*vip);
    if (!outcome) return fail(outcome.error().message);
    say(std::string(*outcome == ipd::RemoveOutcome::kRemoved ? "removed " : "absent ") +
        describe(*vip));
    return 0;
  }

  if (command == "watch" && args.size() >= 2) {
    for (std::size_t i = 1; i < args.size(); ++i) {
      auto vip = resolve(c, args[i]);
      if (!vip) return fail(vip.error().message);
      c.watch(*vip);
      say("watching " + describe(*vip));
    }
    (void)loop.run();
    return 0;
  }
  return usage();
}
