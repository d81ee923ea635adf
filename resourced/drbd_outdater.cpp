#include "resourced/drbd_outdater.h"

#include <fmt/format.h>

#include <utility>

#include "common/log.h"
#include "conf/drbd_resources.h"

namespace vigil::resourced {

DrbdOutdater::DrbdOutdater(EventLoop& loop, const conf::Config& config,
                           std::vector<std::string> environment, std::string drbdadm,
                           Duration timeout)
    : config_(config),
      environment_(std::move(environment)),
      drbdadm_(std::move(drbdadm)),
      timeout_(timeout),
      executor_(loop) {}

std::string DrbdOutdater::violation(std::uint16_t index) const {
  if (!conf::drbd_resource_at(config_, index))
    return fmt::format(
        "outdate task names resource #{}, which is not a drbddisk::NAME entry of "
        "haresources",
        index);
  return {};
}

void DrbdOutdater::outdate(std::uint16_t index, Done done) {
  auto& waiting = running_[index];
  waiting.push_back(std::move(done));
  if (waiting.size() > 1) return;
  const std::string name = *conf::drbd_resource_at(config_, index);
  Command cmd;
  cmd.path = drbdadm_;
  cmd.argv = {drbdadm_, "outdate", name};
  cmd.env = environment_;
  cmd.running_text = fmt::format("Running {} outdate {}", drbdadm_, name);
  log::info(cmd.running_text, {{"VIGIL_DRBD_RESOURCE", name}, {"VIGIL_EVENT", "drbd-outdate"}});
  std::weak_ptr<bool> alive = alive_;
  executor_.execute(cmd, timeout_, "drbdadm", {{"VIGIL_DRBD_RESOURCE", name}},
                    [this, alive, index](const ExecResult& r) {
                      if (alive.expired()) return;
                      finish(index, r);
                    });
}

void DrbdOutdater::finish(std::uint16_t index, const ExecResult& result) {
  std::vector<Done> waiting = std::move(running_[index]);
  running_.erase(index);
  for (auto& done : waiting) done(result);
}

}  // namespace vigil::resourced
