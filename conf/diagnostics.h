// Collects every error and warning of a configuration load, so that an
// admin sees all problems of ha.cf, haresources and authkeys at once
// instead of fixing them one restart at a time.
//
// Every message names its place: "FILE:LINE: what is wrong; what was
// expected" (FILE exactly as the path was given). A message about a whole
// file (cannot open it, wrong mode) has no line: "FILE: ...". Parsers never
// print; callers decide where messages go (vigilctl: stderr, daemons: log).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigil::conf {

class Diagnostics {
 public:
  // line 0 = the file as a whole. `expected` may be empty.
  void error(std::string_view file, int line, std::string_view what,
             std::string_view expected = {});
  void warn(std::string_view file, int line, std::string_view what);

  bool ok() const { return errors_.empty(); }
  const std::vector<std::string>& errors() const { return errors_; }
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  std::vector<std::string> errors_;
  std::vector<std::string> warnings_;
};

// "FILE:LINE: " (or "FILE: " for line 0).
std::string place(std::string_view file, int line);

}  // namespace vigil::conf
