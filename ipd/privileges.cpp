#include "ipd/privileges.h"

#include <sys/capability.h>
#include <sys/prctl.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

namespace vigil::ipd {

namespace {

struct CapFree {
  void operator()(cap_t c) const { cap_free(c); }
};

Error errno_error(const std::string& what) { return Error{what + ": " + std::strerror(errno)}; }

}  // namespace

Status drop_privileges() {
  const cap_value_t keep[] = {CAP_NET_ADMIN, CAP_NET_RAW};

  // Bounding set first: dropping from it needs CAP_SETPCAP, which goes next.
  for (cap_value_t c = 0; c <= CAP_LAST_CAP; ++c) {
    if (c == CAP_NET_ADMIN || c == CAP_NET_RAW || !CAP_IS_SUPPORTED(c)) continue;
    if (cap_get_bound(c) != 1) continue;
    if (cap_drop_bound(c) != 0 && errno != EPERM)
      return errno_error("dropping from the bounding set");
  }

  const std::unique_ptr<std::remove_pointer_t<cap_t>, CapFree> caps(cap_init());
  if (!caps) return errno_error("cap_init");
  if (cap_set_flag(caps.get(), CAP_EFFECTIVE, 2, keep, CAP_SET) != 0 ||
      cap_set_flag(caps.get(), CAP_PERMITTED, 2, keep, CAP_SET) != 0)
    return errno_error("cap_set_flag");
  if (cap_set_proc(caps.get()) != 0)
    return errno_error("keeping only CAP_NET_ADMIN and CAP_NET_RAW (are both permitted?)");
  if (CAP_AMBIENT_SUPPORTED() && cap_reset_ambient() != 0)
    return errno_error("clearing ambient capabilities");
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return errno_error("PR_SET_NO_NEW_PRIVS");
  return ok_status();
}

}  // namespace vigil::ipd
