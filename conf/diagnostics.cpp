#include "conf/diagnostics.h"

namespace vigil::conf {

std::string place(std::string_view file, int line) {
  std::string s(file);
  if (line > 0) s += ":" + std::to_string(line);
  s += ": ";
  return s;
}

void Diagnostics::error(std::string_view file, int line, std::string_view what,
                        std::string_view expected) {
  std::string msg = place(file, line);
  msg += what;
  if (!expected.empty()) {
    msg += "; ";
    msg += expected;
  }
  errors_.push_back(std::move(msg));
}

void Diagnostics::warn(std::string_view file, int line, std::string_view what) {
  warnings_.push_back(place(file, line) + std::string(what));
}

}  // namespace vigil::conf
