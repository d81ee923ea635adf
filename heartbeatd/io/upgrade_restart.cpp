#include "heartbeatd/io/upgrade_restart.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <charconv>
#include <string>

#include "common/ipc/frame_format.h"
#include "common/unique_fd.h"

namespace vigil::io {

std::string features_line() {
  return "features: upgrade-restart-marker ipc-" + std::to_string(ipc::kFrameVersion);
}

bool marker_names(std::string_view content, pid_t pid) {
  if (!content.empty() && content.back() == '\n') content.remove_suffix(1);
  if (content.empty() || content.size() > 19) return false;
  long long named = 0;
  const char* end = content.data() + content.size();
  auto [at, ec] = std::from_chars(content.data(), end, named);
  return ec == std::errc() && at == end && pid > 0 && named == pid;
}

bool upgrade_restart_requested(const std::string& runtime_dir, pid_t pid) {
  const std::string path = runtime_dir + "/" + std::string(kUpgradeRestartMarker);
  // O_NOFOLLOW: a link there is not the package's marker.
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd) return false;
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  std::array<char, 32> buffer{};
  const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
  if (n <= 0 || static_cast<std::size_t>(n) == buffer.size()) return false;
  return marker_names(std::string_view(buffer.data(), static_cast<std::size_t>(n)), pid);
}

}  // namespace vigil::io
