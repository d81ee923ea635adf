// One scrape: heartbeatd's metrics text read over its read-only control
// socket, with vigil_up saying whether heartbeatd answered (Prometheus'
// convention for an exporter whose target is down: 200 with up 0, so the
// scrape itself succeeds and the alert can say which).
#pragma once

#include <chrono>
#include <string>

namespace vigil::exporter {

// A scrape must answer well within Prometheus' default 10 s timeout.
inline constexpr std::chrono::milliseconds kScrapeTimeout{3000};

struct Scrape {
  bool up = false;
  std::string text;   // the body to serve
  std::string error;  // why not up (logged)
};

// `vigil_up` followed by heartbeatd's text when it answered.
Scrape scrape(const std::string& status_socket, std::chrono::milliseconds timeout = kScrapeTimeout);

// The vigil_up family alone (pure, for scrape() and its test).
std::string up_text(bool up);

}  // namespace vigil::exporter
