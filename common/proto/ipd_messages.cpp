#include "common/proto/ipd_messages.h"

#include <fmt/format.h>

#include "common/ipc/payload.h"
#include "common/proto/message_codec.h"

namespace vigil::proto::ipd {

namespace {

Type type_of(const Message& m) {
  return std::visit(
      Overload{[](const Hello&) { return Type::kHello; }, [](const Lease&) { return Type::kLease; },
               [](const AddVip&) { return Type::kAddVip; },
               [](const RemoveVip&) { return Type::kRemoveVip; },
               [](const ListVips&) { return Type::kListVips; },
               [](const Result&) { return Type::kResult; },
               [](const VipList&) { return Type::kVipList; },
               [](const Event&) { return Type::kEvent; },
               [](const AnnounceVip&) { return Type::kAnnounceVip; }},
      m);
}

void write_body(ipc::PayloadWriter& w, const Message& m) {
  std::visit(Overload{[&](const Hello& v) { write_hello(w, v); },
                      [&](const Lease& v) { w.u32(v.lease_ms); },
                      [&](const AddVip& v) {
                        w.u32(v.request_id);
                        write_hash(w, v.config_hash);
                        write_place(w, v.place);
                      },
                      [&](const RemoveVip& v) {
                        w.u32(v.request_id);
                        write_hash(w, v.config_hash);
                        write_place(w, v.place);
                      },
                      [&](const ListVips& v) { w.u32(v.request_id); },
                      [&](const Result& v) {
                        w.u32(v.request_id);
                        w.u8(static_cast<std::uint8_t>(v.outcome));
                        w.string(v.detail, kMaxText);
                      },
                      [&](const VipList& v) {
                        w.u32(v.request_id);
                        w.u16(static_cast<std::uint16_t>(v.vips.size()));
                        for (const auto& s : v.vips) {
                          write_place(w, s.place);
                          w.boolean(s.present);
                        }
                      },
                      [&](const Event& v) {
                        w.u8(static_cast<std::uint8_t>(v.kind));
                        write_place(w, v.place);
                        w.string(v.interface, kMaxInterfaceName);
                      },
                      [&](const AnnounceVip& v) {
                        w.u32(v.request_id);
                        write_hash(w, v.config_hash);
                        write_place(w, v.place);
                        w.u8(static_cast<std::uint8_t>(v.kind));
                      }},
             m);
}

Status check(const Message& m) {
  return std::visit(
      Overload{
          [](const Hello& v) -> Status { return check_hello(v); },
          [](const Lease& v) -> Status { return check_lease(v.lease_ms); },
          [](const AddVip& v) -> Status {
            if (!is_config_hash(v.config_hash)) return Error{"add: malformed config hash"};
            return check_place(v.place);
          },
          [](const RemoveVip& v) -> Status {
            if (!is_config_hash(v.config_hash)) return Error{"remove: malformed config hash"};
            return check_place(v.place);
          },
          [](const ListVips&) -> Status { return {}; },
          [](const Result& v) -> Status {
            if (v.outcome > Outcome::kRefused)
              return Error{
                  fmt::format("result: outcome {} out of range", static_cast<int>(v.outcome))};
            return {};
          },
          [](const VipList& v) -> Status {
            if (v.vips.size() > kMaxListEntries) return Error{"vip list: too many entries"};
            for (const auto& s : v.vips)
              if (Status st = check_place(s.place); !st) return st;
            return {};
          },
          [](const Event& v) -> Status {
            if (v.kind < EventKind::kVipLost || v.kind > EventKind::kLinkUp)
              return Error{fmt::format("event: kind {} out of range", static_cast<int>(v.kind))};
            return check_place(v.place);
          },
          [](const AnnounceVip& v) -> Status {
            if (!is_config_hash(v.config_hash)) return Error{"announce: malformed config hash"};
            if (v.kind < AnnounceKind::kAgain || v.kind > AnnounceKind::kRefresh)
              return Error{fmt::format("announce: kind {} out of range", static_cast<int>(v.kind))};
            return check_place(v.place);
          }},
      m);
}

vigil::Result<Message> read_body(Type type, ipc::PayloadReader& r) {
  switch (type) {
    case Type::kHello:
      return Message{read_hello(r)};
    case Type::kLease:
      return Message{Lease{r.u32()}};
    case Type::kAddVip: {
      AddVip v;
      v.request_id = r.u32();
      v.config_hash = read_hash(r);
      v.place = read_place(r);
      return Message{v};
    }
    case Type::kRemoveVip: {
      RemoveVip v;
      v.request_id = r.u32();
      v.config_hash = read_hash(r);
      v.place = read_place(r);
      return Message{v};
    }
    case Type::kListVips:
      return Message{ListVips{r.u32()}};
    case Type::kResult: {
      Result v;
      v.request_id = r.u32();
      v.outcome = static_cast<Outcome>(r.u8());
      v.detail = r.string(kMaxText);
      return Message{v};
    }
    case Type::kVipList: {
      VipList v;
      v.request_id = r.u32();
      const std::uint16_t n = r.u16();
      if (n > kMaxListEntries) return Error{"vip list: too many entries"};
      for (std::uint16_t i = 0; i < n && !r.failed(); ++i) {
        VipState s;
        s.place = read_place(r);
        s.present = r.boolean();
        v.vips.push_back(s);
      }
      return Message{v};
    }
    case Type::kEvent: {
      Event v;
      v.kind = static_cast<EventKind>(r.u8());
      v.place = read_place(r);
      v.interface = r.string(kMaxInterfaceName);
      return Message{v};
    }
    case Type::kAnnounceVip: {
      AnnounceVip v;
      v.request_id = r.u32();
      v.config_hash = read_hash(r);
      v.place = read_place(r);
      v.kind = static_cast<AnnounceKind>(r.u8());
      return Message{v};
    }
  }
  return Error{fmt::format("unknown ipd message type {}", static_cast<unsigned>(type))};
}

}  // namespace

vigil::Result<ipc::Bytes> encode(const Message& message) {
  return encode_message(message, type_of, check, write_body);
}

vigil::Result<Message> decode(const ipc::Frame& frame) {
  return decode_message<Message>(frame, Type::kHello, Type::kAnnounceVip, "ipd", read_body, check);
}

}  // namespace vigil::proto::ipd
