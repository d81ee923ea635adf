#include "ipd/vip.h"

namespace vigil::ipd {

Announcement default_announcement(VipForm form) {
  using std::chrono::milliseconds;
  switch (form) {
    case VipForm::kIpAddr:
      return {10, milliseconds(500)};
    case VipForm::kIpAddr2:
      return {5, milliseconds(200)};
    case VipForm::kIPv6addr:
      return {5, milliseconds(200)};
  }
  return {};
}

std::string ResolvedVip::describe() const {
  return address.to_string() + "/" + std::to_string(prefix_len) + " on " + interface;
}

}  // namespace vigil::ipd
