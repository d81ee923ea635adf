#include "resourced/file_system.h"

#include <sys/stat.h>
#include <unistd.h>

namespace vigil::resourced {

bool RealFileSystem::is_executable_file(const std::string& path) const {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  return ::access(path.c_str(), X_OK) == 0;
}

}  // namespace vigil::resourced
