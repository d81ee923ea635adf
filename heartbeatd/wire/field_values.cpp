#include "heartbeatd/wire/field_values.h"

#include <charconv>

namespace vigil::wire {

namespace {

std::optional<std::uint64_t> parse_unsigned(std::string_view text, int base) {
  if (text.empty()) return std::nullopt;
  // from_chars already refuses signs and whitespace; "0x" stops at the 'x'
  // and is caught by the full-consumption check.
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value, base);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::uint64_t> parse_hex(std::string_view text) {
  return parse_unsigned(text, 16);
}

std::optional<std::uint64_t> parse_decimal(std::string_view text) {
  return parse_unsigned(text, 10);
}

std::string format_hex(std::uint64_t value) {
  char buf[16];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value, 16);
  return std::string(buf, ptr);
}

std::string format_decimal(std::uint64_t value) {
  char buf[20];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value, 10);
  return std::string(buf, ptr);
}

}  // namespace vigil::wire
