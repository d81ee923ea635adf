// The order every message vocabulary of common/proto/ (ipd_messages.h,
// resourced_messages.h, control_messages.h) encodes and decodes in, so
// that each vocabulary file holds only its own fields:
//
//   encode: check every field's range first (a sender never writes what
//           the receiver would refuse), write the payload, frame it.
//   decode: refuse a type outside [first, last] before reading a byte,
//           read the payload, refuse bytes left over, then check every
//           field's range.
//
// A vocabulary supplies:
//   Type type_of(const Message&);
//   Status check(const Message&);
//   void write_body(ipc::PayloadWriter&, const Message&);
//   vigil::Result<Message> read_body(Type, ipc::PayloadReader&);
//
//   return encode_message(message, type_of, check, write_body);
//   return decode_message<Message>(frame, Type::kHello, Type::kEvent, "ipd",
//                                  read_body, check);
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <string_view>
#include <utility>

#include "common/ipc/frame.h"
#include "common/ipc/payload.h"
#include "common/result.h"

namespace vigil::proto {

// std::visit over a message variant with one lambda per alternative.
template <class... F>
struct Overload : F... {
  using F::operator()...;
};
// Spelled out for clang 14 (the fuzz build), which lacks C++20's
// deduction for aggregates.
template <class... F>
Overload(F...) -> Overload<F...>;

template <class Message, class TypeOf, class Check, class WriteBody>
vigil::Result<ipc::Bytes> encode_message(const Message& message, TypeOf type_of, Check check,
                                         WriteBody write_body) {
  if (Status s = check(message); !s) return s.error();
  ipc::PayloadWriter w;
  write_body(w, message);
  auto payload = std::move(w).finish();
  if (!payload) return payload.error();
  return ipc::encode_frame(static_cast<std::uint16_t>(type_of(message)), *payload);
}

// `vocabulary` names it in the error for an unknown type ("ipd").
template <class Message, class Type, class ReadBody, class Check>
vigil::Result<Message> decode_message(const ipc::Frame& frame, Type first, Type last,
                                      std::string_view vocabulary, ReadBody read_body,
                                      Check check) {
  if (frame.type < static_cast<std::uint16_t>(first) ||
      frame.type > static_cast<std::uint16_t>(last))
    return Error{fmt::format("unknown {} message type {}", vocabulary, frame.type)};
  ipc::PayloadReader r(frame.payload);
  vigil::Result<Message> message = read_body(static_cast<Type>(frame.type), r);
  if (!message) return message.error();
  if (Status s = r.finish(); !s) return s.error();
  if (Status s = check(*message); !s) return s.error();
  return message;
}

}  // namespace vigil::proto
