// The state of a systemd unit, asked of systemd itself over the system bus
// (issue 16: a health check of a `systemd:` resource without a fork per
// check). Start and stop still go through systemctl (agent_command.h says
// why); only the health check's question "is it active?" comes here.
//
// One query is two asynchronous calls on org.freedesktop.systemd1:
// Manager.GetUnit(unit) for the unit's object, then Properties.GetAll of
// org.freedesktop.systemd1.Unit on it for ActiveState and SubState. Nothing
// blocks resourced's loop: the bus descriptor and sd-bus's own deadline are
// watched by the EventLoop, and a query has a Timer of its own.
//
//   ActiveState                  answer        (as `systemctl is-active`)
//   active, reloading            kRunning      exit 0
//   activating, deactivating,    kNotRunning   exit 3: a unit on its way up
//   inactive, failed, maintenance              or down is not serving; the
//                                              start grace covers vigil's
//                                              own starts (health_monitor.h)
//   GetUnit: NoSuchUnit          kNotRunning   a unit not loaded is inactive
//   anything else, an error      kFailed       never taken for "stopped"
//   no answer within `timeout`   kTimedOut     a failed check, as a hung one
//
// The bus is opened at the first query (sd_bus_open_system, which honours
// DBUS_SYSTEM_BUS_ADDRESS). A lost connection fails the queries in flight
// and is opened again by the next query. If it cannot be opened, query()
// says so and calls nothing: the caller checks another way.
#pragma once

#include <systemd/sd-bus.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/event_loop.h"
#include "common/io_watcher.h"
#include "common/result.h"
#include "common/timer.h"

namespace vigil::resourced {

struct UnitStateAnswer {
  enum class Kind { kRunning, kNotRunning, kFailed, kTimedOut };
  Kind kind = Kind::kFailed;
  std::string active_state;  // as systemd said it (empty if it did not)
  std::string sub_state;
  std::string message;  // kFailed, kTimedOut, and a unit not loaded: why
  Duration took{};      // from query() to the answer
};

// What an ActiveState means for a health check (the table above). An
// unknown state is kFailed.
UnitStateAnswer::Kind unit_state_kind(std::string_view active_state);

class SystemdUnitState {
 public:
  using Callback = std::function<void(const UnitStateAnswer&)>;

  explicit SystemdUnitState(EventLoop& loop);
  // Queries in flight are dropped without their callbacks.
  ~SystemdUnitState();
  SystemdUnitState(const SystemdUnitState&) = delete;
  SystemdUnitState& operator=(const SystemdUnitState&) = delete;

  // Asks for `unit` ("nginx.service"); `done` is called exactly once, later,
  // from the loop. An error means the system bus could not be opened (the
  // message says why) and `done` is never called. A callback may start
  // another query but must not destroy this object.
  Status query(const std::string& unit, Duration timeout, Callback done);

  std::size_t in_flight() const { return queries_.size(); }
  bool connected() const { return bus_ != nullptr; }

 private:
  struct Query;
  Status open_bus();
  void close_bus(const std::string& why);
  void process();
  void rearm();
  void finish(std::uint64_t id, UnitStateAnswer answer);
  void on_unit_path(std::uint64_t id, const std::string& path);
  static int on_get_unit(sd_bus_message* m, void* userdata, sd_bus_error* error);
  static int on_get_all(sd_bus_message* m, void* userdata, sd_bus_error* error);

  EventLoop& loop_;
  sd_bus* bus_ = nullptr;
  std::unique_ptr<IoWatcher> watcher_;
  int watched_events_ = 0;
  Timer bus_deadline_;  // sd-bus's own timeouts and queued work
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, std::unique_ptr<Query>> queries_;
};

}  // namespace vigil::resourced
