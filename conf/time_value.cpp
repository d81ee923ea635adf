#include "conf/time_value.h"

#include <cstdint>

#include "conf/text.h"

namespace vigil::conf {

std::optional<Millis> parse_time(std::string_view text) {
  std::size_t i = 0;
  std::int64_t whole = 0;
  std::size_t whole_digits = 0;
  while (i < text.size() && is_digit(text[i])) {
    if (++whole_digits > 9) return std::nullopt;
    whole = whole * 10 + (text[i] - '0');
    ++i;
  }
  // Fraction digits beyond nanoseconds cannot change the rounded result.
  std::int64_t frac = 0;
  std::int64_t frac_scale = 1;
  std::size_t frac_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && is_digit(text[i])) {
      if (frac_digits < 9) {
        frac = frac * 10 + (text[i] - '0');
        frac_scale *= 10;
      }
      ++frac_digits;
      ++i;
    }
  }
  if (whole_digits + frac_digits == 0) return std::nullopt;

  const std::string unit = lower(text.substr(i));
  std::int64_t unit_ns = 0;
  if (unit.empty()) {
    unit_ns = 1'000'000'000;
  } else if (unit == "ms" || unit == "msec") {
    unit_ns = 1'000'000;
  } else if (unit == "us" || unit == "usec") {
    unit_ns = 1'000;
  } else {
    return std::nullopt;
  }
  const std::int64_t ns = whole * unit_ns + frac * unit_ns / frac_scale;
  return Millis((ns + 500'000) / 1'000'000);
}

std::string format_time(Millis t) { return std::to_string(t.count()) + "ms"; }

}  // namespace vigil::conf
