// libFuzzer target for the configuration parsers: ha.cf, haresources and
// authkeys (conf/). The first byte picks the parser, the rest is the file.
// Properties, beyond "never crashes" under ASan/UBSan: every error and
// warning names the file it is about (style.md: bad input gets an error
// naming file:line).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "conf/authkeys.h"
#include "conf/diagnostics.h"
#include "conf/ha_cf.h"
#include "conf/haresources.h"

namespace {

using namespace vigil;

void require_file_named(const conf::Diagnostics& diag, std::string_view file) {
  for (const auto* list : {&diag.errors(), &diag.warnings()})
    for (const auto& line : *list)
      if (!line.starts_with(file)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  conf::Diagnostics diag;
  switch (data[0] % 3) {
    case 0: {
      (void)conf::parse_ha_cf(text, "ha.cf", diag);
      require_file_named(diag, "ha.cf");
      break;
    }
    case 1: {
      static const std::vector<std::string> nodes = {"node1", "node2", "node1.example.com"};
      (void)conf::parse_haresources(text, "haresources", data[0] & 4 ? &nodes : nullptr, diag);
      require_file_named(diag, "haresources");
      break;
    }
    default: {
      (void)conf::parse_authkeys(text, "authkeys", diag);
      require_file_named(diag, "authkeys");
      break;
    }
  }
  return 0;
}
