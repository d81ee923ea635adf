#include "conf/boolean.h"

#include "conf/text.h"

namespace vigil::conf {

std::optional<bool> parse_boolean(std::string_view text) {
  const std::string t = lower(text);
  for (const char* w : {"true", "on", "yes", "y", "1"})
    if (t == w) return true;
  for (const char* w : {"false", "off", "no", "n", "0"})
    if (t == w) return false;
  return std::nullopt;
}

}  // namespace vigil::conf
