#include "common/proto/resourced_messages.h"

#include <fmt/format.h>

#include "common/ipc/payload.h"

namespace vigil::proto::resourced {

namespace {

template <class... F>
struct Overload : F... {
  using F::operator()...;
};

Type type_of(const Message& m) {
  return std::visit(Overload{[](const Hello&) { return Type::kHello; },
                             [](const Lease&) { return Type::kLease; },
                             [](const Request&) { return Type::kRequest; },
                             [](const Reply&) { return Type::kReply; }},
                    m);
}

bool valid_op(Op op) { return op >= Op::kStart && op <= Op::kStatus; }

Status check(const Message& m) {
  return std::visit(
      Overload{[](const Hello& v) -> Status {
                 if (!is_config_hash(v.config_hash)) return Error{"hello: malformed config hash"};
                 return check_lease(v.lease_ms);
               },
               [](const Lease& v) -> Status { return check_lease(v.lease_ms); },
               [](const Request& v) -> Status {
                 if (!is_config_hash(v.config_hash))
                   return Error{"request: malformed config hash"};
                 if (!valid_op(v.op))
                   return Error{fmt::format("request: op {} out of range", static_cast<int>(v.op))};
                 return check_place(v.place);
               },
               [](const Reply& v) -> Status {
                 if (!valid_op(v.op))
                   return Error{fmt::format("reply: op {} out of range", static_cast<int>(v.op))};
                 if (v.outcome > Outcome::kRefused)
                   return Error{fmt::format("reply: outcome {} out of range",
                                            static_cast<int>(v.outcome))};
                 if (v.state > RunState::kStopped)
                   return Error{fmt::format("reply: state {} out of range",
                                            static_cast<int>(v.state))};
                 return {};
               }},
      m);
}

}  // namespace

vigil::Result<ipc::Bytes> encode(const Message& message) {
  if (Status s = check(message); !s) return s.error();
  ipc::PayloadWriter w;
  std::visit(Overload{[&](const Hello& v) {
                        write_hash(w, v.config_hash);
                        w.u32(v.lease_ms);
                      },
                      [&](const Lease& v) { w.u32(v.lease_ms); },
                      [&](const Request& v) {
                        w.u32(v.request_id);
                        write_hash(w, v.config_hash);
                        write_place(w, v.place);
                        w.u8(static_cast<std::uint8_t>(v.op));
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
             message);
  auto payload = std::move(w).finish();
  if (!payload) return payload.error();
  return ipc::encode_frame(static_cast<std::uint16_t>(type_of(message)), *payload);
}

vigil::Result<Message> decode(const ipc::Frame& frame) {
  ipc::PayloadReader r(frame.payload);
  Message message;
  switch (static_cast<Type>(frame.type)) {
    case Type::kHello: {
      Hello v;
      v.config_hash = read_hash(r);
      v.lease_ms = r.u32();
      message = v;
      break;
    }
    case Type::kLease:
      message = Lease{r.u32()};
      break;
    case Type::kRequest: {
      Request v;
      v.request_id = r.u32();
      v.config_hash = read_hash(r);
      v.place = read_place(r);
      v.op = static_cast<Op>(r.u8());
      message = v;
      break;
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
      message = v;
      break;
    }
    default:
      return Error{fmt::format("unknown resourced message type {}", frame.type)};
  }
  if (Status s = r.finish(); !s) return s.error();
  if (Status s = check(message); !s) return s.error();
  return message;
}

}  // namespace vigil::proto::resourced
