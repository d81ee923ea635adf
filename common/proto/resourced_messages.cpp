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
                 return {};
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
