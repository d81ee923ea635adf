// Golden files of a test run from its source directory (golden/NAME):
// VIGIL_UPDATE_GOLDEN=1 rewrites the file (then review the diff).
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace vigil::testing {

inline void check_golden(const std::string& name, const std::string& actual) {
  const std::string path = "golden/" + name;
  if (const char* u = std::getenv("VIGIL_UPDATE_GOLDEN"); u && std::string(u) == "1")
    std::ofstream(path) << actual;
  std::ifstream in(path);
  REQUIRE(in);
  std::stringstream s;
  s << in.rdbuf();
  CHECK(actual == s.str());
}

}  // namespace vigil::testing
