// medium_probe: opens the media of an ha.cf with heartbeatd's own io code
// and exchanges test datagrams, for tests/integration/test_transports.py.
//
//   medium_probe HA_CF [--send N] [--delay-ms MS] [--interval-ms MS] [--listen-ms MS]
//                [--tag TEXT] [--user NAME] [--go-file PATH]
//
// Opens every UDP medium of HA_CF (parsed by conf::parse_ha_cf; its
// errors are printed as `conf-error ...` and the media that parsed are
// still opened), then, with --user, drops privileges exactly as heartbeatd
// does and prints `dropped uid=U`. Sends N datagrams "TAG I" on every medium, one every
// MS ms, and prints each datagram received until --listen-ms has passed
// since start:
//   started LINK                    (one per medium, after opening)
//   recv LINK FROM_ADDRESS PAYLOAD
//   sent N
// Exit 0, or 1 with an error on stderr.
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "conf/diagnostics.h"
#include "conf/ha_cf.h"
#include "heartbeatd/io/media_set.h"
#include "heartbeatd/io/open_media.h"
#include "heartbeatd/io/privilege.h"

namespace {

using Clock = std::chrono::steady_clock;

int fail(const std::string& message) {
  std::fprintf(stderr, "medium_probe: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return fail("usage: medium_probe HA_CF [--send N] [--interval-ms MS] "
                            "[--delay-ms MS] [--listen-ms MS] [--tag TEXT] [--user NAME]");
  const std::string path = argv[1];
  int send_count = 5;
  int interval_ms = 100;
  int delay_ms = 0;
  int listen_ms = 2000;
  std::string tag = "probe";
  std::string user;
  bool drop = false;
  std::string go_file;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--send") send_count = std::stoi(value);
    else if (flag == "--interval-ms") interval_ms = std::stoi(value);
    else if (flag == "--delay-ms") delay_ms = std::stoi(value);
    else if (flag == "--listen-ms") listen_ms = std::stoi(value);
    else if (flag == "--tag") tag = value;
    else if (flag == "--go-file") go_file = value;
    else if (flag == "--user") { user = value; drop = true; }
    else return fail("unknown flag " + flag);
  }

  std::ifstream in(path);
  if (!in) return fail("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  vigil::conf::Diagnostics diag;
  const auto cf = vigil::conf::parse_ha_cf(text.str(), path, diag);
  for (const auto& e : diag.errors()) std::printf("conf-error %s\n", e.c_str());

  std::vector<vigil::io::InheritedSocket> none;
  auto opened = vigil::io::open_media(cf, none);
  if (!opened) return fail(opened.error().message);
  vigil::io::MediaSet media(std::move(*opened));
  for (const auto& m : media.media()) std::printf("started %s\n", m->link_name().c_str());
  if (drop) {
    if (auto s = vigil::io::drop_privileges(user); !s) return fail(s.error().message);
    std::printf("dropped uid=%u\n", static_cast<unsigned>(getuid()));
  }
  std::fflush(stdout);

  auto receive_for = [&media](int timeout_ms) {
    std::vector<pollfd> fds;
    for (const auto& m : media.media()) fds.push_back({m->receive_fd(), POLLIN, 0});
    poll(fds.data(), fds.size(), timeout_ms);
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if ((fds[i].revents & POLLIN) == 0) continue;
      auto& m = *media.media()[i];
      while (true) {
        auto r = m.receive();
        if (!r) {
          std::printf("error %s %s\n", m.link_name().c_str(), r.error().message.c_str());
          break;
        }
        if (!*r) break;
        const auto& d = **r;
        std::string payload(reinterpret_cast<const char*>(d.bytes.data()), d.bytes.size());
        std::printf("recv %s %s %s\n", m.link_name().c_str(), d.from.host().c_str(),
                    payload.c_str());
      }
    }
    std::fflush(stdout);
  };

  if (!go_file.empty()) {
    const auto give_up = Clock::now() + std::chrono::seconds(30);
    while (access(go_file.c_str(), F_OK) != 0) {
      if (Clock::now() > give_up) return fail("no go file " + go_file);
      receive_for(10);
    }
  }

  const auto start = Clock::now();
  const auto end = start + std::chrono::milliseconds(listen_ms);
  auto next_send = start + std::chrono::milliseconds(delay_ms);
  int sent = 0;
  while (Clock::now() < end) {
    if (sent < send_count && Clock::now() >= next_send) {
      const std::string payload = tag + " " + std::to_string(sent);
      media.send_all(std::as_bytes(std::span(payload.data(), payload.size())));
      ++sent;
      next_send += std::chrono::milliseconds(interval_ms);
    }
    receive_for(10);
  }
  std::printf("sent %d\n", sent);
  return 0;
}
