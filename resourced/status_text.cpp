#include "resourced/status_text.h"

#include <cstddef>

namespace vigil::resourced {

namespace {

bool lower_is(char c, char lower) { return c == lower || c == lower - ('a' - 'A'); }

// "[Rr]unning" at position i.
bool running_at(std::string_view s, std::size_t i) {
  return i + 7 <= s.size() && lower_is(s[i], 'r') && s.substr(i + 1, 6) == "unning";
}

bool contains_running(std::string_view s, std::size_t from) {
  for (std::size_t i = from; i < s.size(); ++i)
    if (running_at(s, i)) return true;
  return false;
}

// heartbeat's case pattern `*[Nn][Oo][Tt]\ *[Rr]unning*` (§3.3): the `*`
// after the escaped space is a glob, so anything may sit between "not " and
// "running". The first "not " decides: a later "running" after any "not "
// is also after the first one.
bool says_not_running(std::string_view s) {
  for (std::size_t i = 0; i + 3 < s.size(); ++i) {
    if (lower_is(s[i], 'n') && lower_is(s[i + 1], 'o') && lower_is(s[i + 2], 't') &&
        s[i + 3] == ' ')
      return contains_running(s, i + 4);
  }
  return false;
}

}  // namespace

bool status_text_says_running(std::string_view s) {
  if (says_not_running(s)) return false;
  return contains_running(s, 0) || s.find("OK") != std::string_view::npos;
}

}  // namespace vigil::resourced
