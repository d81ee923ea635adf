#include "resourced/systemd_unit_state.h"

#include <fmt/format.h>
#include <poll.h>
#include <systemd/sd-bus.h>

#include <cstring>
#include <utility>

namespace vigil::resourced {

namespace {

constexpr const char* kSystemd = "org.freedesktop.systemd1";
constexpr const char* kManagerPath = "/org/freedesktop/systemd1";
constexpr const char* kManager = "org.freedesktop.systemd1.Manager";
constexpr const char* kUnit = "org.freedesktop.systemd1.Unit";
constexpr const char* kProperties = "org.freedesktop.DBus.Properties";
constexpr const char* kNoSuchUnit = "org.freedesktop.systemd1.NoSuchUnit";

std::string errno_text(int negative_errno) { return std::strerror(-negative_errno); }

std::string error_text(const sd_bus_error* e) {
  return fmt::format("{}: {}", e->name ? e->name : "?", e->message ? e->message : "");
}

// Reads the a{sv} of Properties.GetAll: ActiveState and SubState, skipping
// every other property.
int read_states(sd_bus_message* m, std::string& active, std::string& sub) {
  int r = sd_bus_message_enter_container(m, SD_BUS_TYPE_ARRAY, "{sv}");
  if (r < 0) return r;
  while ((r = sd_bus_message_enter_container(m, SD_BUS_TYPE_DICT_ENTRY, "sv")) > 0) {
    const char* name = nullptr;
    if ((r = sd_bus_message_read(m, "s", &name)) < 0) return r;
    std::string* into = std::strcmp(name, "ActiveState") == 0 ? &active
                        : std::strcmp(name, "SubState") == 0  ? &sub
                                                              : nullptr;
    if (into != nullptr) {
      const char* value = nullptr;
      if ((r = sd_bus_message_read(m, "v", "s", &value)) < 0) return r;
      *into = value;
    } else if ((r = sd_bus_message_skip(m, "v")) < 0) {
      return r;
    }
    if ((r = sd_bus_message_exit_container(m)) < 0) return r;
  }
  if (r < 0) return r;
  return sd_bus_message_exit_container(m);
}

}  // namespace

UnitStateAnswer::Kind unit_state_kind(std::string_view s) {
  using K = UnitStateAnswer::Kind;
  if (s == "active" || s == "reloading") return K::kRunning;
  if (s == "activating" || s == "deactivating" || s == "inactive" || s == "failed" ||
      s == "maintenance")
    return K::kNotRunning;
  return K::kFailed;
}

struct SystemdUnitState::Query {
  SystemdUnitState* owner = nullptr;
  std::uint64_t id = 0;
  std::string unit;
  MonoTime started;
  Callback done;
  sd_bus_slot* slot = nullptr;  // the call in flight; unref cancels it
  std::unique_ptr<Timer> timer;
  ~Query() { sd_bus_slot_unref(slot); }
};

SystemdUnitState::SystemdUnitState(EventLoop& loop)
    : loop_(loop), bus_deadline_(loop, [this] { process(); }) {}

SystemdUnitState::~SystemdUnitState() {
  queries_.clear();
  watcher_.reset();
  if (bus_ != nullptr) sd_bus_close_unref(bus_);
}

Status SystemdUnitState::open_bus() {
  sd_bus* bus = nullptr;
  // Connects without waiting for the daemon's answer: authentication and
  // Hello complete inside process(), from the loop.
  const int r = sd_bus_open_system(&bus);
  if (r < 0) return Error{fmt::format("cannot open the system bus: {}", errno_text(r))};
  bus_ = bus;
  rearm();
  return {};
}

void SystemdUnitState::close_bus(const std::string& why) {
  watcher_.reset();
  watched_events_ = 0;
  bus_deadline_.cancel();
  auto failed = std::move(queries_);
  queries_.clear();
  // Slots hold their own reference on the bus: it is freed with the last.
  sd_bus_close_unref(bus_);
  bus_ = nullptr;
  for (auto& [id, q] : failed) {
    UnitStateAnswer answer;
    answer.kind = UnitStateAnswer::Kind::kFailed;
    answer.message = why;
    answer.took = MonoClock::now() - q->started;
    Callback done = std::move(q->done);
    q.reset();
    done(answer);
  }
}

Status SystemdUnitState::query(const std::string& unit, Duration timeout, Callback done) {
  // Two tries: a connection found closed is dropped and opened once more.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (bus_ == nullptr) {
      if (auto opened = open_bus(); !opened) return opened;
    }
    const std::uint64_t id = next_id_++;
    auto q = std::make_unique<Query>();
    q->owner = this;
    q->id = id;
    q->unit = unit;
    q->started = MonoClock::now();
    const int r =
        sd_bus_call_method_async(bus_, &q->slot, kSystemd, kManagerPath, kManager, "GetUnit",
                                 &SystemdUnitState::on_get_unit, q.get(), "s", unit.c_str());
    if (r < 0) {
      q->slot = nullptr;
      close_bus(fmt::format("the system bus connection failed: {}", errno_text(r)));
      if (attempt == 0) continue;
      return Error{fmt::format("cannot call systemd on the system bus: {}", errno_text(r))};
    }
    q->timer = std::make_unique<Timer>(loop_, [this, id, timeout] {
      UnitStateAnswer answer;
      answer.kind = UnitStateAnswer::Kind::kTimedOut;
      answer.message =
          fmt::format("systemd did not answer within {} ms",
                      std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count());
      finish(id, std::move(answer));
    });
    q->timer->arm_after(timeout);
    q->done = std::move(done);
    queries_.emplace(id, std::move(q));
    rearm();
    return {};
  }
  return Error{"cannot open the system bus"};
}

void SystemdUnitState::finish(std::uint64_t id, UnitStateAnswer answer) {
  auto it = queries_.find(id);
  if (it == queries_.end()) return;
  answer.took = MonoClock::now() - it->second->started;
  Callback done = std::move(it->second->done);
  // Destroying the query unrefs its slot, which sd-bus allows from inside
  // that slot's own callback, and its timer, which may be the caller.
  queries_.erase(it);
  done(answer);
}

int SystemdUnitState::on_get_unit(sd_bus_message* m, void* userdata, sd_bus_error*) {
  auto* q = static_cast<Query*>(userdata);
  SystemdUnitState* self = q->owner;
  const std::uint64_t id = q->id;
  UnitStateAnswer answer;
  if (const sd_bus_error* e = sd_bus_message_get_error(m)) {
    if (sd_bus_error_has_name(e, kNoSuchUnit)) {
      // What systemd reports for a unit it has not loaded: inactive.
      answer.kind = UnitStateAnswer::Kind::kNotRunning;
      answer.active_state = "inactive";
      answer.message = fmt::format("{} is not loaded", q->unit);
    } else {
      answer.kind = sd_bus_error_has_name(e, SD_BUS_ERROR_TIMEOUT)
                        ? UnitStateAnswer::Kind::kTimedOut
                        : UnitStateAnswer::Kind::kFailed;
      answer.message = error_text(e);
    }
    self->finish(id, std::move(answer));
    return 0;
  }
  const char* path = nullptr;
  if (const int r = sd_bus_message_read(m, "o", &path); r < 0) {
    answer.message = fmt::format("GetUnit answered something unexpected: {}", errno_text(r));
    self->finish(id, std::move(answer));
    return 0;
  }
  self->on_unit_path(id, path);
  return 0;
}

void SystemdUnitState::on_unit_path(std::uint64_t id, const std::string& path) {
  auto it = queries_.find(id);
  if (it == queries_.end()) return;
  Query& q = *it->second;
  // The GetUnit slot is the one being dispatched; sd-bus keeps it alive
  // until its callback returns.
  q.slot = sd_bus_slot_unref(q.slot);
  const int r = sd_bus_call_method_async(bus_, &q.slot, kSystemd, path.c_str(), kProperties,
                                         "GetAll", &SystemdUnitState::on_get_all, &q, "s", kUnit);
  if (r < 0) {
    q.slot = nullptr;
    UnitStateAnswer answer;
    answer.message = fmt::format("cannot ask systemd for {}'s state: {}", q.unit, errno_text(r));
    finish(id, std::move(answer));
  }
}

int SystemdUnitState::on_get_all(sd_bus_message* m, void* userdata, sd_bus_error*) {
  auto* q = static_cast<Query*>(userdata);
  SystemdUnitState* self = q->owner;
  const std::uint64_t id = q->id;
  UnitStateAnswer answer;
  if (const sd_bus_error* e = sd_bus_message_get_error(m)) {
    answer.kind = sd_bus_error_has_name(e, SD_BUS_ERROR_TIMEOUT) ? UnitStateAnswer::Kind::kTimedOut
                                                                 : UnitStateAnswer::Kind::kFailed;
    answer.message = error_text(e);
  } else if (const int r = read_states(m, answer.active_state, answer.sub_state); r < 0) {
    answer.message = fmt::format("the unit's properties could not be read: {}", errno_text(r));
  } else if (answer.active_state.empty()) {
    answer.message = fmt::format("systemd sent no ActiveState for {}", q->unit);
  } else {
    answer.kind = unit_state_kind(answer.active_state);
    if (answer.kind == UnitStateAnswer::Kind::kFailed)
      answer.message = fmt::format("unknown ActiveState \"{}\"", answer.active_state);
  }
  self->finish(id, std::move(answer));
  return 0;
}

// Runs what sd-bus has to do now (read, write, dispatch replies, expire
// its own timeouts), then waits for the next thing through the loop.
void SystemdUnitState::process() {
  if (bus_ == nullptr) return;
  int r = 0;
  do {
    r = sd_bus_process(bus_, nullptr);
  } while (r > 0 && bus_ != nullptr);
  if (bus_ == nullptr) return;
  if (r < 0 || sd_bus_is_open(bus_) <= 0) {
    close_bus(fmt::format("lost the system bus: {}",
                          r < 0 ? errno_text(r) : std::string("connection closed")));
    return;
  }
  rearm();
}

void SystemdUnitState::rearm() {
  const int fd = sd_bus_get_fd(bus_);
  const int events = sd_bus_get_events(bus_);
  if (fd < 0 || events < 0) {
    close_bus(fmt::format("lost the system bus: {}", errno_text(fd < 0 ? fd : events)));
    return;
  }
  if (watcher_ == nullptr || events != watched_events_) {
    const auto interest =
        (events & POLLOUT) != 0 ? IoWatcher::Interest::kReadWrite : IoWatcher::Interest::kRead;
    watcher_ = std::make_unique<IoWatcher>(loop_, fd, interest, [this](IoReady) { process(); });
    watcher_->start();
    watched_events_ = events;
  }
  std::uint64_t usec = 0;
  if (sd_bus_get_timeout(bus_, &usec) < 0 || usec == UINT64_MAX)
    bus_deadline_.cancel();
  else
    bus_deadline_.arm_at(MonoTime(std::chrono::microseconds(usec)));
}

}  // namespace vigil::resourced
