#include "common/proto/resourced_messages.h"

#include <fmt/format.h>

#include "common/ipc/payload.h"
#include "common/proto/message_codec.h"

namespace vigil::proto::resourced {

namespace {

Type type_of(const Message& m) {
  return std::visit(
      Overload{[](const Hello&) { return Type::kHello; }, [](const Lease&) { return Type::kLease; },
               [](const Request&) { return Type::kRequest; },
               [](const Reply&) { return Type::kReply; }, [](const Task&) { return Type::kTask; }},
      m);
}

bool valid_op(Op op) { return op >= Op::kStart && op <= Op::kStatus; }

bool printable(const std::string& s) {
  for (const char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

// A health check's reply says how it ran consistently with its outcome: a
// timeout is the only outcome of the two ways a check can time out.
Status check_check_run(const Reply& v) {
  if (v.check > CheckRun::kSystemdUnreachable)
    return Error{fmt::format("reply: check {} out of range", static_cast<int>(v.check))};
  if ((v.check == CheckRun::kUnitState) != !v.unit_state.empty())
    return Error{"reply: a unit state without a systemd answer, or an answer without one"};
  if (v.unit_state.size() > kMaxUnitState || !printable(v.unit_state))
    return Error{"reply: unit state too long or not printable"};
  if (v.check == CheckRun::kNone) return {};
  if (v.op != Op::kStatus) return Error{"reply: a check's answer to something not a status"};
  if (v.outcome == Outcome::kRefused) return Error{"reply: a refused check that says it ran"};
  const bool timeout_way =
      v.check == CheckRun::kProgramTimedOut || v.check == CheckRun::kSystemdNoAnswer;
  if (timeout_way != (v.outcome == Outcome::kTimeout))
    return Error{"reply: a check's way and its outcome disagree about a timeout"};
  if (v.check == CheckRun::kProgramExited && v.exit_status < 0)
    return Error{"reply: an exited check with a negative exit status"};
  if (v.check == CheckRun::kProgramSignalled && v.exit_status >= 0)
    return Error{"reply: a signalled check without -signal"};
  return {};
}
bool valid_kind(TaskKind kind) {
  return kind == TaskKind::kRespawn || kind == TaskKind::kEvent || kind == TaskKind::kMonitor ||
         kind == TaskKind::kFence || kind == TaskKind::kOutdatePeer || kind == TaskKind::kWatchdog;
}

Status check(const Message& m) {
  return std::visit(
      Overload{[](const Hello& v) -> Status { return check_hello(v); },
               [](const Lease& v) -> Status { return check_lease(v.lease_ms); },
               [](const Request& v) -> Status {
                 if (!is_config_hash(v.config_hash)) return Error{"request: malformed config hash"};
                 if (!valid_op(v.op))
                   return Error{fmt::format("request: op {} out of range", static_cast<int>(v.op))};
                 return check_place(v.place);
               },
               [](const Task& v) -> Status {
                 if (!is_config_hash(v.config_hash)) return Error{"task: malformed config hash"};
                 if (!valid_kind(v.kind))
                   return Error{fmt::format("task: kind {} unknown", static_cast<int>(v.kind))};
                 if (v.index >= kMaxTaskIndex)
                   return Error{fmt::format("task: index {} out of range", v.index)};
                 if (!valid_op(v.op))
                   return Error{fmt::format("task: op {} out of range", static_cast<int>(v.op))};
                 if (v.kind != TaskKind::kEvent) {
                   if (!v.fields.empty()) return Error{"task: fields on a task that takes none"};
                   // A health check only asks: it never starts or stops.
                   if (v.kind == TaskKind::kMonitor && v.op != Op::kStatus)
                     return Error{"task: a monitor task is only a status"};
                   // Outdating is one act: nothing to stop or ask.
                   if (v.kind == TaskKind::kOutdatePeer && v.op != Op::kStart)
                     return Error{"task: an outdate task is only started"};
                   return {};
                 }
                 // An event is only ever run: it has no state to stop or ask.
                 if (!cluster_event_from(v.index))
                   return Error{fmt::format("task: event {} unknown", v.index)};
                 if (v.op != Op::kStart) return Error{"task: an event is only started"};
                 if (std::string why = event_fields_violation(v.fields); !why.empty())
                   return Error{"task: " + why};
                 return {};
               },
               [](const Reply& v) -> Status {
                 if (!valid_op(v.op))
                   return Error{fmt::format("reply: op {} out of range", static_cast<int>(v.op))};
                 if (v.outcome > Outcome::kRefused)
                   return Error{
                       fmt::format("reply: outcome {} out of range", static_cast<int>(v.outcome))};
                 if (v.state > RunState::kStopped)
                   return Error{
                       fmt::format("reply: state {} out of range", static_cast<int>(v.state))};
                 return check_check_run(v);
               }},
      m);
}

void write_body(ipc::PayloadWriter& w, const Message& m) {
  std::visit(Overload{[&](const Hello& v) { write_hello(w, v); },
                      [&](const Lease& v) { w.u32(v.lease_ms); },
                      [&](const Request& v) {
                        w.u32(v.request_id);
                        write_hash(w, v.config_hash);
                        write_place(w, v.place);
                        w.u8(static_cast<std::uint8_t>(v.op));
                      },
                      [&](const Task& v) {
                        w.u32(v.request_id);
                        write_hash(w, v.config_hash);
                        w.u8(static_cast<std::uint8_t>(v.kind));
                        w.u16(v.index);
                        w.u8(static_cast<std::uint8_t>(v.op));
                        if (v.kind != TaskKind::kEvent) return;
                        w.u8(static_cast<std::uint8_t>(v.fields.size()));
                        for (const EventField& f : v.fields) {
                          w.string(f.name, kMaxEventFieldName);
                          w.string(f.value, kMaxEventFieldValue);
                        }
                      },
                      [&](const Reply& v) {
                        w.u32(v.request_id);
                        w.u8(static_cast<std::uint8_t>(v.op));
                        w.u8(static_cast<std::uint8_t>(v.outcome));
                        w.u8(static_cast<std::uint8_t>(v.state));
                        w.u32(static_cast<std::uint32_t>(v.exit_status));
                        w.u32(v.duration_ms);
                        w.string(v.output_tail, kMaxText);
                        if (v.check == CheckRun::kNone) return;
                        w.u8(static_cast<std::uint8_t>(v.check));
                        w.string(v.unit_state, kMaxUnitState);
                      }},
             m);
}

vigil::Result<Message> read_body(Type type, ipc::PayloadReader& r) {
  switch (type) {
    case Type::kHello:
      return Message{read_hello(r)};
    case Type::kLease:
      return Message{Lease{r.u32()}};
    case Type::kRequest: {
      Request v;
      v.request_id = r.u32();
      v.config_hash = read_hash(r);
      v.place = read_place(r);
      v.op = static_cast<Op>(r.u8());
      return Message{v};
    }
    case Type::kReply: {
      Reply v;
      v.request_id = r.u32();
      v.op = static_cast<Op>(r.u8());
      v.outcome = static_cast<Outcome>(r.u8());
      v.state = static_cast<RunState>(r.u8());
      v.exit_status = static_cast<std::int32_t>(r.u32());
      v.duration_ms = r.u32();
      v.output_tail = r.string(kMaxText);
      if (r.remaining() == 0 || r.failed()) return Message{v};
      v.check = static_cast<CheckRun>(r.u8());
      v.unit_state = r.string(kMaxUnitState);
      // Written only for a check: the same bytes saying "no check" are not
      // a form encode produces.
      if (v.check == CheckRun::kNone) return Error{"reply: a check part that names no check"};
      return Message{v};
    }
    case Type::kTask: {
      Task v;
      v.request_id = r.u32();
      v.config_hash = read_hash(r);
      v.kind = static_cast<TaskKind>(r.u8());
      v.index = r.u16();
      v.op = static_cast<Op>(r.u8());
      if (v.kind == TaskKind::kEvent) {
        const std::size_t count = r.u8();
        if (count > kMaxEventFields)
          return Error{fmt::format("task: {} fields (at most {})", count, kMaxEventFields)};
        for (std::size_t i = 0; i < count && !r.failed(); ++i) {
          EventField f;
          f.name = r.string(kMaxEventFieldName);
          f.value = r.string(kMaxEventFieldValue);
          v.fields.push_back(std::move(f));
        }
      }
      return Message{v};
    }
  }
  return Error{fmt::format("unknown resourced message type {}", static_cast<unsigned>(type))};
}

}  // namespace

vigil::Result<ipc::Bytes> encode(const Message& message) {
  return encode_message(message, type_of, check, write_body);
}

vigil::Result<Message> decode(const ipc::Frame& frame) {
  return decode_message<Message>(frame, Type::kHello, Type::kTask, "resourced", read_body, check);
}

}  // namespace vigil::proto::resourced
