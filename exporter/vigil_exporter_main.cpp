// vigil-exporter: serves heartbeatd's metrics on http://ADDRESS:PORT/metrics
// for Prometheus (issue 17). heartbeatd opens no TCP listener; this small
// unprivileged program reads its read-only control socket (status.sock,
// heartbeatd/control/permission.h: it can read status and metrics and
// cannot move resources) on each scrape and answers with libevent's evhttp.
//
// Packaged as vigil-exporter.service, socket-activated by
// vigil-exporter.socket (off by default; its ListenStream= is the bind
// address and port), run as a dynamic user in group haclient-ro with no
// capability. By hand (tests): --listen ADDRESS:PORT.
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <fmt/format.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "common/log.h"
#include "common/signal_watcher.h"
#include "common/systemd_notify.h"
#include "common/systemd_sockets.h"
#include "exporter/exporter_options.h"
#include "exporter/scrape.h"
#include "vigil_build_config.h"

namespace vigil::exporter {
namespace {

constexpr int kExitUsage = 2;
constexpr int kExitFailure = 1;
constexpr const char* kSystemdSocketName = "http";  // FileDescriptorName=
constexpr int kHttpTimeoutSeconds = 10;
constexpr std::size_t kMaxRequestHeaders = 8192;

const log::Fields kFields = {{"VIGIL_DAEMON", "vigil-exporter"}};

void print_help() {
  std::fputs(
      "Usage: vigil-exporter [--listen ADDRESS:PORT] [--status-socket PATH]\n"
      "Serves heartbeatd's metrics in the Prometheus text format on /metrics,\n"
      "read from heartbeatd's read-only control socket on every scrape.\n\n"
      "  --listen ADDRESS:PORT  listen there ([ADDRESS]:PORT for IPv6); without it,\n"
      "                         the socket systemd passes (vigil-exporter.socket)\n"
      "  --status-socket PATH   heartbeatd's read-only socket\n"
      "                         (default /run/vigil-status/status.sock)\n"
      "  -h, --help             this text\n"
      "  -V, --version          print the version\n"
      "Metrics: vigil-metrics(7).\n",
      stdout);
}

struct Server {
  Options options;
  bool warned_down = false;
};

void reply_text(evhttp_request* req, int code, const char* reason, const std::string& body,
                const char* type) {
  evkeyvalq* headers = evhttp_request_get_output_headers(req);
  evhttp_add_header(headers, "Content-Type", type);
  evbuffer* out = evbuffer_new();
  evbuffer_add(out, body.data(), body.size());
  evhttp_send_reply(req, code, reason, out);
  evbuffer_free(out);
}

void on_request(evhttp_request* req, void* arg) {
  auto* server = static_cast<Server*>(arg);
  const char* uri = evhttp_request_get_uri(req);
  evhttp_uri* parsed = evhttp_uri_parse(uri);
  const std::string path = parsed && evhttp_uri_get_path(parsed) ? evhttp_uri_get_path(parsed) : "";
  if (parsed) evhttp_uri_free(parsed);
  if (path == "/metrics") {
    Scrape s = scrape(server->options.status_socket);
    if (!s.up && !server->warned_down) {
      log::warn(fmt::format("heartbeatd did not answer on {}: {}; serving vigil_up 0",
                            server->options.status_socket, s.error),
                kFields);
    } else if (s.up && server->warned_down) {
      log::info("heartbeatd answers again", kFields);
    }
    server->warned_down = !s.up;
    reply_text(req, 200, "OK", s.text, "text/plain; version=0.0.4; charset=utf-8");
  } else if (path == "/") {
    reply_text(req, 200, "OK",
               "<html><head><title>vigil exporter</title></head><body>"
               "<h1>vigil exporter</h1><p><a href=\"/metrics\">Metrics</a></p></body></html>\n",
               "text/html; charset=utf-8");
  } else {
    reply_text(req, 404, "Not Found", "not found: try /metrics\n", "text/plain; charset=utf-8");
  }
}

int run(const Options& options) {
  EventLoop loop;
  Server server{options};
  evhttp* http = evhttp_new(loop.base());
  if (http == nullptr) {
    log::error("cannot create the HTTP server", kFields);
    return kExitFailure;
  }
  evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
  evhttp_set_timeout(http, kHttpTimeoutSeconds);
  evhttp_set_max_headers_size(http, kMaxRequestHeaders);
  evhttp_set_max_body_size(http, 0);
  evhttp_set_gencb(http, on_request, &server);
  std::string where;
  if (options.listen.empty()) {
    auto fd = systemd::take_listen_fd(kSystemdSocketName);
    if (!fd) {
      log::error("no --listen and no socket named 'http' from systemd (vigil-exporter.socket)",
                 kFields);
      evhttp_free(http);
      return kExitUsage;
    }
    if (evhttp_accept_socket_with_handle(http, fd->get()) == nullptr) {
      log::error("cannot accept on the socket systemd passed", kFields);
      evhttp_free(http);
      return kExitFailure;
    }
    (void)fd->release();  // evhttp owns and closes it now
    where = "the socket systemd passed";
  } else {
    auto hp = parse_listen(options.listen);
    if (!hp || evhttp_bind_socket_with_handle(http, hp->host.c_str(), hp->port) == nullptr) {
      log::error(fmt::format("cannot listen on {}: {}", options.listen,
                             hp ? std::strerror(errno) : hp.error().message),
                 kFields);
      evhttp_free(http);
      return kExitFailure;
    }
    where = options.listen;
  }
  auto stop = [&loop](int) { loop.stop(); };
  SignalWatcher on_term(loop, SIGTERM, stop);
  SignalWatcher on_int(loop, SIGINT, stop);
  log::info(fmt::format("vigil-exporter (vigil {}) serving /metrics on {}, from {}", VIGIL_VERSION,
                        where, options.status_socket),
            kFields);
  systemd::notify_ready("serving /metrics");
  auto s = loop.run();
  evhttp_free(http);
  if (!s) {
    log::error(s.error().message, kFields);
    return kExitFailure;
  }
  return 0;
}

}  // namespace
}  // namespace vigil::exporter

int main(int argc, char** argv) {
  auto options = vigil::exporter::parse_options(std::vector<std::string>(argv + 1, argv + argc));
  if (!options) {
    std::fprintf(stderr, "vigil-exporter: %s\nTry 'vigil-exporter --help'.\n",
                 options.error().message.c_str());
    return vigil::exporter::kExitUsage;
  }
  if (options->help) {
    vigil::exporter::print_help();
    return 0;
  }
  if (options->version) {
    std::printf("vigil-exporter (vigil) %s\n", VIGIL_VERSION);
    return 0;
  }
  return vigil::exporter::run(*options);
}
