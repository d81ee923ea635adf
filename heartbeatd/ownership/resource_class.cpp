#include "heartbeatd/ownership/resource_class.h"

namespace vigil::ownership {

std::string_view class_name(ClassBits bits) {
  switch (bits & kAll) {
    case kLocal:
      return "local";
    case kForeign:
      return "foreign";
    case kAll:
      return "all";
    default:
      return "none";
  }
}

std::optional<ClassBits> parse_class(std::string_view word) {
  if (word == "none") return kNone;
  if (word == "local") return kLocal;
  if (word == "foreign" || word == "failback") return kForeign;
  if (word == "all") return kAll;
  return std::nullopt;
}

ClassBits mirror(ClassBits bits) {
  ClassBits out = kNone;
  if (bits & kLocal) out |= kForeign;
  if (bits & kForeign) out |= kLocal;
  return out;
}

}  // namespace vigil::ownership
