#include "common/proto/helper_common.h"

#include <fmt/format.h>

namespace vigil::proto {

void write_hash(ipc::PayloadWriter& w, const std::string& hash) {
  w.string(hash, kConfigHashLength);
}

std::string read_hash(ipc::PayloadReader& r) { return r.string(kConfigHashLength); }

void write_place(ipc::PayloadWriter& w, const ResourcePlace& place) {
  w.u16(place.group);
  w.u16(place.position);
}

ResourcePlace read_place(ipc::PayloadReader& r) {
  ResourcePlace p;
  p.group = r.u16();
  p.position = r.u16();
  return p;
}

bool is_config_hash(const std::string& s) {
  if (s.size() != kConfigHashLength) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

Status check_lease(std::uint32_t lease_ms) {
  if (lease_ms < kMinLeaseMs || lease_ms > kMaxLeaseMs)
    return Error{fmt::format("lease {} ms out of range [{}, {}]", lease_ms, kMinLeaseMs,
                             kMaxLeaseMs)};
  return {};
}

Status check_place(const ResourcePlace& place) {
  if (place.group >= kMaxGroups || place.position >= kMaxPosition)
    return Error{fmt::format("resource place ({}, {}) out of range", place.group,
                             place.position)};
  return {};
}

void write_hello(ipc::PayloadWriter& w, const Hello& hello) {
  write_hash(w, hello.config_hash);
  w.u32(hello.lease_ms);
}

Hello read_hello(ipc::PayloadReader& r) {
  Hello v;
  v.config_hash = read_hash(r);
  v.lease_ms = r.u32();
  return v;
}

Status check_hello(const Hello& hello) {
  if (!is_config_hash(hello.config_hash)) return Error{"hello: malformed config hash"};
  return check_lease(hello.lease_ms);
}

}  // namespace vigil::proto
