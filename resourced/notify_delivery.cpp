#include "resourced/notify_delivery.h"

#include <fmt/format.h>

#include <utility>

#include "common/log.h"
#include "common/proto/cluster_event.h"
#include "conf/text.h"
#include "resourced/event_command.h"

namespace vigil::resourced {

namespace {

const log::Fields kFields = {{"VIGIL_EVENT", "notify-hook"}};

struct Spooled {
  std::string type;
  std::vector<std::string> vigil_env;  // VIGIL_EVENT*=...
  std::vector<proto::EventField> fields;
};

// Reads back what spooled_event_text wrote. The spool is root's (0700), but
// the text is checked again as the vocabulary checks it: a damaged file
// must not become something else in the hook's environment.
Result<Spooled> parse_spooled(const std::string& text) {
  Spooled s;
  for (std::string_view line : conf::split_lines(text)) {
    if (line.empty()) continue;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) return Error{"a line without '='"};
    const std::string_view name = line.substr(0, eq);
    const std::string value(line.substr(eq + 1));
    if (name == "VIGIL_EVENT") s.type = value;
    if (name == "VIGIL_EVENT" || name == "VIGIL_EVENT_SEQ" || name == "VIGIL_EVENT_TIME") {
      s.vigil_env.push_back(fmt::format("{}={}", name, value));
    } else if (name.starts_with("HA_")) {
      s.fields.push_back({std::string(name.substr(3)), value});
    } else {
      return Error{fmt::format("unexpected variable {}", name)};
    }
  }
  if (s.type.empty()) return Error{"no VIGIL_EVENT line"};
  return s;
}

std::optional<proto::ClusterEvent> event_named(std::string_view name) {
  for (proto::ClusterEvent e : proto::all_cluster_events())
    if (proto::event_name(e) == name) return e;
  return std::nullopt;
}

}  // namespace

std::string spooled_event_text(std::uint64_t seq, proto::ClusterEvent event,
                               const std::vector<proto::EventField>& fields, std::int64_t unix_ms) {
  std::string text = fmt::format("VIGIL_EVENT_SEQ={}\nVIGIL_EVENT={}\nVIGIL_EVENT_TIME={}.{:03}\n",
                                 seq, proto::event_name(event), unix_ms / 1000, unix_ms % 1000);
  for (const proto::EventField& f : fields) text += fmt::format("HA_{}={}\n", f.name, f.value);
  return text;
}

Result<std::unique_ptr<NotifyDelivery>> NotifyDelivery::open(EventLoop& loop, NotifyOptions options,
                                                             const std::string& spool_dir) {
  auto store = DirectorySpoolStore::open(spool_dir);
  if (!store) return store.error();
  auto owned = std::make_unique<DirectorySpoolStore>(std::move(*store));
  auto spool = NotifySpool::recover(*owned);
  if (!spool) return spool.error();
  return std::make_unique<NotifyDelivery>(loop, std::move(options), std::move(owned),
                                          std::move(*spool));
}

NotifyDelivery::NotifyDelivery(EventLoop& loop, NotifyOptions options,
                               std::unique_ptr<SpoolStore> store, NotifySpool spool)
    : options_(std::move(options)),
      store_(std::move(store)),
      spool_(std::move(spool)),
      executor_(loop, options_.output_dir),
      retry_(loop, [this] {
        running_ = false;
        deliver_next();
      }) {
  if (spool_.size() > 0)
    log::info(fmt::format("notify hook: {} event(s) left in the spool by a previous run; "
                          "delivering them first",
                          spool_.size()),
              kFields);
  deliver_next();
}

NotifyDelivery::~NotifyDelivery() = default;

Status NotifyDelivery::enqueue(proto::ClusterEvent event,
                               const std::vector<proto::EventField>& fields, std::int64_t unix_ms) {
  if (std::string why = proto::event_fields_violation(fields); !why.empty()) return Error{why};
  auto seq = spool_.append(spooled_event_text(spool_.next_seq(), event, fields, unix_ms));
  if (!seq) {
    log::error("notify hook: cannot spool an event: " + seq.error().message, kFields);
    return seq.error();
  }
  deliver_next();
  return {};
}

void NotifyDelivery::deliver_next() {
  if (running_) return;
  const auto seq = spool_.front();
  if (!seq) return;
  auto text = spool_.read_front();
  auto spooled = text ? parse_spooled(*text) : Result<Spooled>(text.error());
  std::optional<proto::ClusterEvent> event;
  if (spooled) event = event_named(spooled->type);
  if (!spooled || !event) {
    // Never ours (a damaged or foreign file): delivering it could hand the
    // hook something the vocabulary never allowed. Set it aside and go on.
    log::error(fmt::format("notify hook: spooled event {} is unreadable ({}); skipped", *seq,
                           spooled ? "unknown event" : spooled.error().message),
               kFields);
    (void)spool_.pop_front();
    failures_ = 0;
    return deliver_next();
  }
  auto cmd = event_command(options_.hook_path, *event, spooled->fields, options_.environment,
                           spooled->vigil_env);
  if (!cmd) {
    log::error(fmt::format("notify hook: spooled event {}: {}; skipped", *seq, cmd.error().message),
               kFields);
    (void)spool_.pop_front();
    return deliver_next();
  }
  running_ = true;
  std::weak_ptr<bool> alive = alive_;
  const std::uint64_t s = *seq;
  executor_.execute(*cmd, options_.timeout, "notify-hook", {{"VIGIL_EVENT_SEQ", std::to_string(s)}},
                    [this, alive, s](const ExecResult& r) {
                      if (!alive.expired()) on_done(s, r);
                    });
}

void NotifyDelivery::on_done(std::uint64_t seq, const ExecResult& r) {
  if (!r.spawn_error.empty()) return retry_later(seq, "cannot run it: " + r.spawn_error);
  if (r.timed_out)
    return retry_later(
        seq, fmt::format(
                 "timed out after {} ms",
                 std::chrono::duration_cast<std::chrono::milliseconds>(options_.timeout).count()));
  if (r.signal != 0) return retry_later(seq, fmt::format("killed by signal {}", r.signal));
  if (r.exit_code != 0) return retry_later(seq, fmt::format("exit {}", r.exit_code));
  if (Status s = spool_.pop_front(); !s) {
    // Delivered, but not recorded: it will be delivered again after a
    // restart (at least once); here it is not, the queue moves on.
    log::error(
        fmt::format("notify hook: event {} delivered but not recorded: {}", seq, s.error().message),
        kFields);
  }
  failures_ = 0;
  running_ = false;
  deliver_next();
}

void NotifyDelivery::retry_later(std::uint64_t seq, const std::string& why) {
  ++failures_;
  const auto delay = notify_retry_delay(failures_, options_.retry_max, options_.retry_base);
  log::warn(fmt::format("notify hook {} failed for event {} ({}; attempt {}); trying again in "
                        "{} ms, later events wait",
                        options_.hook_path, seq, why, failures_, delay.count()),
            kFields);
  retry_.arm_after(delay);  // running_ stays true until the timer fires
}

}  // namespace vigil::resourced
