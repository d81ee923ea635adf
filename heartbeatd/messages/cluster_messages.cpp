#include "heartbeatd/messages/cluster_messages.h"

#include <algorithm>
#include <cctype>
#include <type_traits>

#include "heartbeatd/wire/field_values.h"

namespace vigil::messages {

namespace {

std::string text(const wire::Message& m, std::string_view name) {
  const std::string* v = m.get(name);
  return v ? *v : std::string();
}

std::optional<std::uint64_t> hex(const wire::Message& m, std::string_view name) {
  const std::string* v = m.get(name);
  return v ? wire::parse_hex(*v) : std::nullopt;
}

std::optional<std::uint64_t> decimal(const wire::Message& m, std::string_view name) {
  const std::string* v = m.get(name);
  return v ? wire::parse_decimal(*v) : std::nullopt;
}

bool is_status_word(std::string_view st) {
  if (st.empty() || st.size() > 32) return false;
  return std::all_of(st.begin(), st.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

Status decode_status(const wire::Message& m) {
  Status s;
  if (const std::string* st = m.get("st"); st && is_status_word(*st)) s.st = *st;
  if (auto dt = hex(m, "dt"); dt && *dt > 0 && *dt <= 0xffffffffULL) s.deadtime_ms = dt;
  s.protocol = decimal(m, "protocol");
  return s;
}

Resource decode_resource(const wire::Message& m) {
  Resource r;
  r.rsc_hold = text(m, "rsc_hold");
  r.full = text(m, "rtype") == "full";
  if (const std::string* stable = m.get("isstable")) r.isstable = *stable == "1";
  r.info = text(m, "info");
  r.vigil = m.has("vigil");
  r.held = text(m, "vigil_held");
  r.away = text(m, "vigil_away");
  r.ask = m.has("vigil_ask");
  return r;
}

Body decode_body(const wire::Message& m, std::string_view t) {
  if (t == kStatusType) return decode_status(m);
  if (t == kStartingType) return Starting{m.has("vigil")};
  if (t == kResourceType) return decode_resource(m);
  if (t == kAskResourcesType) return AskResources{text(m, "rsc_hold"), text(m, "info")};
  if (t == kHbTakeoverType) {
    HbTakeover h;
    if (const std::string* cls = m.get("rsc_hold")) h.rsc_hold = *cls;
    return h;
  }
  if (t == kIpRequestType) return IpRequest{text(m, "ipaddr")};
  if (t == kIpRequestRespType)
    return IpRequestResp{text(m, "ipaddr"), text(m, "weown") == "yes", text(m, "ok") == "OK"};
  if (t == kShutdoneType) return Shutdone{text(m, "st")};
  if (t == kStonithType) return Stonith{text(m, "node"), text(m, "result")};
  if (t == kReqNodesType) return ReqNodes{};
  if (t == kRepNodesType) return RepNodes{text(m, "nodelist"), text(m, "delnodelist")};
  if (t == kRexmitType) return RexmitRequest{decimal(m, "firstseq"), decimal(m, "lastseq")};
  if (t == kNakRexmitType) return NakRexmit{hex(m, "firstseq"), text(m, "info")};
  if (t == kAckMsgType) return AckMsg{hex(m, "ackseq")};
  if (t == kPingStatusType) {
    PingStatus p;
    if (const std::string* st = m.get("st"); st && is_status_word(*st)) p.st = *st;
    p.info = text(m, "info");
    return p;
  }
  if (t == kOutdatePeerType) return OutdatePeer{hex(m, "xid"), text(m, "drbd")};
  if (t == kOutdatePeerReplyType)
    return OutdatePeerReply{hex(m, "xid"), text(m, "drbd"), text(m, "result")};
  if (t == kNumPingNodesType) return NumPingNodes{decimal(m, "num_ping")};
  if (t == kYouAreDeadType) return YouAreDead{};
  if (t == kAbortGiveupType) return AbortGiveup{};
  if (t == kApiClientStatusType) return ApiClientStatus{text(m, "st"), text(m, "from_id")};
  return Unknown{};
}

void add_fields(wire::Message& m, const Status& s) {
  m.set("st", s.st.value_or(""));
  m.set("dt", wire::format_hex(s.deadtime_ms.value_or(0)));
  if (s.protocol) m.set("protocol", wire::format_decimal(*s.protocol));
}
void add_fields(wire::Message& m, const Starting& s) {
  if (s.vigil) m.set("vigil", "1");
}
void add_fields(wire::Message& m, const Resource& r) {
  m.set("rsc_hold", r.rsc_hold);
  if (r.full) m.set("rtype", "full");
  if (r.isstable) m.set("isstable", *r.isstable ? "1" : "0");
  if (!r.info.empty()) m.set("info", r.info);
  if (r.vigil) m.set("vigil", "1");
  if (!r.held.empty()) m.set("vigil_held", r.held);
  if (!r.away.empty()) m.set("vigil_away", r.away);
  if (r.ask) m.set("vigil_ask", "1");
}
void add_fields(wire::Message& m, const AskResources& a) {
  m.set("rsc_hold", a.rsc_hold);
  m.set("info", a.info);
}
void add_fields(wire::Message& m, const HbTakeover& h) { m.set("rsc_hold", h.rsc_hold); }
void add_fields(wire::Message& m, const IpRequest& r) { m.set("ipaddr", r.ipaddr); }
void add_fields(wire::Message& m, const IpRequestResp& r) {
  m.set("ipaddr", r.ipaddr);
  m.set("weown", r.weown ? "yes" : "no");
  if (r.ok) m.set("ok", "OK");
}
void add_fields(wire::Message& m, const Shutdone& s) { m.set("st", s.st); }
void add_fields(wire::Message& m, const Stonith& s) {
  m.set("node", s.node);
  m.set("result", s.result);
}
void add_fields(wire::Message&, const ReqNodes&) {}
void add_fields(wire::Message& m, const RepNodes& r) {
  m.set("nodelist", r.nodelist);
  m.set("delnodelist", r.delnodelist);
}
void add_fields(wire::Message& m, const RexmitRequest& r) {
  m.set("firstseq", wire::format_decimal(r.firstseq.value_or(0)));
  m.set("lastseq", wire::format_decimal(r.lastseq.value_or(0)));
}
void add_fields(wire::Message& m, const NakRexmit& n) {
  m.set("firstseq", wire::format_hex(n.firstseq.value_or(0)));
  m.set("info", n.info);
}
void add_fields(wire::Message& m, const AckMsg& a) {
  m.set("ackseq", wire::format_hex(a.ackseq.value_or(0)));
}
void add_fields(wire::Message& m, const PingStatus& p) {
  m.set("st", p.st.value_or(""));
  m.set("info", p.info);
}
void add_fields(wire::Message& m, const OutdatePeer& o) {
  m.set("xid", wire::format_hex(o.xid.value_or(0)));
  m.set("drbd", o.drbd);
}
void add_fields(wire::Message& m, const OutdatePeerReply& o) {
  m.set("xid", wire::format_hex(o.xid.value_or(0)));
  m.set("drbd", o.drbd);
  m.set("result", o.result);
}
void add_fields(wire::Message& m, const NumPingNodes& n) {
  m.set("num_ping", wire::format_decimal(n.num_ping.value_or(0)));
}
void add_fields(wire::Message&, const YouAreDead&) {}
void add_fields(wire::Message&, const AbortGiveup&) {}
void add_fields(wire::Message& m, const ApiClientStatus& a) {
  m.set("st", a.st);
  m.set("from_id", a.from_id);
}
void add_fields(wire::Message&, const Unknown&) {}

template <class T>
constexpr std::string_view type_name() {
  if constexpr (std::is_same_v<T, Status>) return kStatusType;
  if constexpr (std::is_same_v<T, Starting>) return kStartingType;
  if constexpr (std::is_same_v<T, Resource>) return kResourceType;
  if constexpr (std::is_same_v<T, AskResources>) return kAskResourcesType;
  if constexpr (std::is_same_v<T, HbTakeover>) return kHbTakeoverType;
  if constexpr (std::is_same_v<T, IpRequest>) return kIpRequestType;
  if constexpr (std::is_same_v<T, IpRequestResp>) return kIpRequestRespType;
  if constexpr (std::is_same_v<T, Shutdone>) return kShutdoneType;
  if constexpr (std::is_same_v<T, Stonith>) return kStonithType;
  if constexpr (std::is_same_v<T, ReqNodes>) return kReqNodesType;
  if constexpr (std::is_same_v<T, RepNodes>) return kRepNodesType;
  if constexpr (std::is_same_v<T, RexmitRequest>) return kRexmitType;
  if constexpr (std::is_same_v<T, NakRexmit>) return kNakRexmitType;
  if constexpr (std::is_same_v<T, AckMsg>) return kAckMsgType;
  if constexpr (std::is_same_v<T, PingStatus>) return kPingStatusType;
  if constexpr (std::is_same_v<T, OutdatePeer>) return kOutdatePeerType;
  if constexpr (std::is_same_v<T, OutdatePeerReply>) return kOutdatePeerReplyType;
  if constexpr (std::is_same_v<T, NumPingNodes>) return kNumPingNodesType;
  if constexpr (std::is_same_v<T, YouAreDead>) return kYouAreDeadType;
  if constexpr (std::is_same_v<T, AbortGiveup>) return kAbortGiveupType;
  if constexpr (std::is_same_v<T, ApiClientStatus>) return kApiClientStatusType;
  return {};
}

}  // namespace

ClusterMessage decode(const wire::Message& verified) {
  ClusterMessage out;
  Header& h = out.header;
  h.type = text(verified, "t");
  if (const std::string* src = verified.get("src")) h.src = *src;
  h.seq = hex(verified, "seq");
  h.has_generation = verified.has("hg");
  h.generation = hex(verified, "hg");
  if (const std::string* dest = verified.get("dest")) h.dest = *dest;
  out.body = decode_body(verified, h.type);
  return out;
}

std::string_view type_of(const Body& body) {
  return std::visit([](const auto& b) { return type_name<std::decay_t<decltype(b)>>(); }, body);
}

wire::Message encode(const Body& body, std::string_view dest) {
  wire::Message m;
  if (std::holds_alternative<Unknown>(body)) return m;
  m.set("t", std::string(type_of(body)));
  if (!dest.empty()) m.set("dest", std::string(dest));
  std::visit([&m](const auto& b) { add_fields(m, b); }, body);
  return m;
}

}  // namespace vigil::messages
