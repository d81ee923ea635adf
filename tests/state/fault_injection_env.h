// A simulated machine for heartbeatd/state: files that live in a page
// cache until synced, processes that can be killed, power that can fail
// (leveldb's FaultInjectionTestEnv, field-notes.md C6.7).
#pragma once

#include <map>
#include <random>
#include <set>
#include <string>

#include "heartbeatd/state/state_env.h"

namespace vigil::test {

class FaultInjectionEnv final : public state::StateEnv {
 public:
  // What a process sees (the page cache) and what survives power loss.
  std::map<std::string, std::string, std::less<>> cache;
  std::map<std::string, std::string, std::less<>> disk;
  std::set<std::string, std::less<>> locked;
  std::string boot = "boot-0";
  Duration clock{std::chrono::seconds(100)};
  std::int64_t wall = 1700000000;
  bool fail_writes = false;

  Result<std::optional<std::string>> read_file(std::string_view name) override {
    auto it = cache.find(name);
    if (it == cache.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }

  Status write_durable(std::string_view name, std::string_view contents) override {
    if (fail_writes) return Error{"injected write failure"};
    cache[std::string(name)] = contents;
    disk[std::string(name)] = contents;
    return ok_status();
  }

  Result<std::unique_ptr<state::RecordFile>> open_record(std::string_view name) override {
    if (locked.contains(name)) return Error{std::string(name) + " is locked"};
    locked.insert(std::string(name));
    // Creating the file is not durable either: a power loss may forget it.
    return std::unique_ptr<state::RecordFile>(
        std::make_unique<Record>(*this, std::string(name), cache[std::string(name)]));
  }

  Result<std::string> boot_id() override { return boot; }
  Duration since_boot() override { return clock; }
  std::int64_t unix_time() override { return wall; }

  void advance(Duration d) {
    clock += d;
    wall += std::chrono::duration_cast<std::chrono::seconds>(d).count();
  }

  // Power fails and the machine boots again. Each file written without a
  // sync ends up as it was at the last sync, as last written, or torn.
  void power_loss(std::mt19937& rng) {
    for (auto& [name, contents] : cache) {
      auto synced = disk.find(name);
      const std::string before = synced == disk.end() ? std::string() : synced->second;
      if (contents == before) continue;
      switch (rng() % 3) {
        case 0: contents = before; break;
        case 1: break;
        default: contents = contents.substr(0, rng() % (contents.size() + 1)); break;
      }
      disk[name] = contents;
    }
    cache = disk;
    locked.clear();
    boot = "boot-" + std::to_string(++boots_);
    // CLOCK_BOOTTIME starts again near zero; wall time goes on.
    clock = std::chrono::seconds(1 + rng() % 30);
    wall += 60;
  }

 private:
  class Record final : public state::RecordFile {
   public:
    Record(FaultInjectionEnv& env, std::string name, std::string initial)
        : env_(&env), name_(std::move(name)), initial_(std::move(initial)) {}
    ~Record() override { env_->locked.erase(name_); }
    const std::string& initial_contents() const override { return initial_; }
    Status overwrite(std::string_view bytes) override {
      if (env_->fail_writes) return Error{"injected write failure"};
      std::string& contents = env_->cache[name_];
      if (contents.size() < bytes.size()) contents.resize(bytes.size());
      contents.replace(0, bytes.size(), bytes);
      return ok_status();
    }

   private:
    FaultInjectionEnv* env_;
    std::string name_;
    std::string initial_;
  };

  int boots_ = 0;
};

}  // namespace vigil::test
