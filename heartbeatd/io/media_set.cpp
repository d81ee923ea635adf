#include "heartbeatd/io/media_set.h"

#include <fmt/format.h>

#include "common/log.h"

namespace vigil::io {

MediaSet::MediaSet(std::vector<std::unique_ptr<Medium>> media)
    : media_(std::move(media)), failing_(media_.size(), false) {}

std::size_t MediaSet::send_all(std::span<const std::byte> message) {
  std::size_t sent = 0;
  for (std::size_t i = 0; i < media_.size(); ++i) {
    const auto& link = media_[i]->link_name();
    if (auto s = media_[i]->send(message); s) {
      ++sent;
      if (failing_[i]) log::info(fmt::format("{}: sending works again", link), {{"VIGIL_LINK", link}});
      failing_[i] = false;
    } else if (!failing_[i]) {
      failing_[i] = true;
      log::warn(s.error().message, {{"VIGIL_LINK", link}, {"VIGIL_EVENT", "send-failed"}});
    }
  }
  return sent;
}

}  // namespace vigil::io
