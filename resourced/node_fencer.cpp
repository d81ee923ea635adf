#include "resourced/node_fencer.h"

#include <fmt/format.h>

#include <utility>

#include "common/log.h"

namespace vigil::resourced {

NodeFencer::NodeFencer(EventLoop& loop, const conf::Config& config,
                       std::vector<std::string> environment, std::string stonith,
                       std::string agent_dir, Duration timeout)
    : config_(config),
      devices_(conf::fence_devices(config)),
      environment_(std::move(environment)),
      stonith_(std::move(stonith)),
      agent_dir_(std::move(agent_dir)),
      timeout_(timeout),
      executor_(loop) {}

std::string NodeFencer::violation(std::uint16_t index) const {
  if (index >= config_.ha_cf.nodes.size())
    return fmt::format("fence task names node #{}, ha.cf has {} nodes", index,
                       config_.ha_cf.nodes.size());
  if (config_.ha_cf.nodes[index] == config_.local_node) return "fence task names this node itself";
  if (devices_.empty() && conf::fence_agents_for(config_, config_.ha_cf.nodes[index]).empty())
    return "fence task but ha.cf has no stonith or stonith_host line for us and vigil.cf no "
           "fence_agent line for that node";
  return {};
}

void NodeFencer::fence(std::uint16_t index, Done done) {
  auto& waiting = running_[index];
  waiting.push_back(std::move(done));
  if (waiting.size() == 1) try_next(index, attempts_for(config_.ha_cf.nodes[index]), 0, {});
}

std::vector<NodeFencer::Attempt> NodeFencer::attempts_for(const std::string& node) const {
  std::vector<Attempt> attempts;
  for (const auto& a : conf::fence_agents_for(config_, node))
    attempts.push_back({a.agent, fence_agent_command(a, agent_dir_, environment_)});
  if (!attempts.empty()) return attempts;  // they take the place of ha.cf's devices
  for (const auto& d : devices_) {
    Command cmd;
    cmd.path = stonith_;
    cmd.argv = {stonith_};
    for (auto& a : conf::stonith_reset_arguments(d, node)) cmd.argv.push_back(std::move(a));
    cmd.env = environment_;
    // Never the parameters: they hold the device's password (A10).
    cmd.running_text = fmt::format("Running {} -t {} -T reset {}", stonith_, d.type, node);
    attempts.push_back({d.type, std::move(cmd)});
  }
  return attempts;
}

void NodeFencer::try_next(std::uint16_t index, std::vector<Attempt> attempts, std::size_t next,
                          std::string failures) {
  const std::string& node = config_.ha_cf.nodes[index];
  if (next == attempts.size()) {
    finish(index, Status(Error{failures}));
    return;
  }
  const Attempt& attempt = attempts[next];
  log::info(attempt.cmd.running_text, {{"VIGIL_NODE", node}, {"VIGIL_EVENT", "stonith-run"}});
  std::weak_ptr<bool> alive = alive_;
  const Command cmd = attempt.cmd;
  const std::string label = attempt.name.rfind("fence_", 0) == 0 ? attempt.name : "stonith";
  executor_.execute(cmd, timeout_, label, {{"VIGIL_NODE", node}},
                    [this, alive, index, attempts = std::move(attempts), next,
                     failures](const ExecResult& r) mutable {
                      if (alive.expired()) return;
                      if (r.exited() && r.exit_code == 0) return finish(index, Status{});
                      std::string why = !r.spawn_error.empty() ? r.spawn_error
                                        : r.timed_out          ? "timed out"
                                        : r.signal != 0        ? fmt::format("signal {}", r.signal)
                                                        : fmt::format("exit {}", r.exit_code);
                      if (!failures.empty()) failures += "; ";
                      failures += fmt::format("{}: {}", attempts[next].name, why);
                      try_next(index, std::move(attempts), next + 1, std::move(failures));
                    });
}

void NodeFencer::finish(std::uint16_t index, const Status& result) {
  std::vector<Done> waiting = std::move(running_[index]);
  running_.erase(index);
  for (auto& done : waiting) done(result);
}

}  // namespace vigil::resourced
