#include "heartbeatd/core/numbers.h"

#include <charconv>

namespace vigil::core {

namespace {

std::optional<std::uint64_t> parse(std::string_view text, int base, std::size_t max_digits) {
  if (text.empty() || text.size() > max_digits) return std::nullopt;
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value, base);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::string format(std::uint64_t value, int base) {
  char buf[24];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value, base);
  (void)ec;  // 24 bytes always hold a 64-bit number
  return std::string(buf, ptr);
}

}  // namespace

std::optional<std::uint64_t> parse_hex(std::string_view text) { return parse(text, 16, 16); }
std::optional<std::uint64_t> parse_dec(std::string_view text) { return parse(text, 10, 19); }
std::string to_hex(std::uint64_t value) { return format(value, 16); }
std::string to_dec(std::uint64_t value) { return format(value, 10); }

}  // namespace vigil::core
